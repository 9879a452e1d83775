#!/usr/bin/env python3
# SPDX-License-Identifier: EPL-2.0
"""Drives a render tracker through a whole project's life the way HQueue's render scripts and the
local render monitor do, with nothing but the standard library's xmlrpc.client.

usage: hqueue_render.py URL_WITH_CREDENTIALS URL_WITHOUT_CREDENTIALS USER HIP_PATH
Prints "OK <project name>" and exits 0 when every expectation held; raises otherwise.
"""
import sys
import xmlrpc.client

url, bare_url, user, hip = sys.argv[1:5]

# A tracker with a token refuses clients without it (HTTP 401), like a dummy connection would be used.
try:
    xmlrpc.client.ServerProxy(bare_url).isRunning()
    raise AssertionError("expected HTTP 401 without the token")
except xmlrpc.client.ProtocolError as e:
    assert e.errcode == 401, e.errcode

tracker = xmlrpc.client.ServerProxy(url)
assert tracker.isRunning() is True

# hqlib: name the project from the user and the hip path, then ask for an inactive name.
name = tracker.applyProjectNameFormula(user, hip)
assert name == user + ":" + hip.replace("\\", "/"), name
name = tracker.suggestInactiveProjectName(name)

frames = [1, 2, 3, 4, 5]
tracker.startedRenderProject(name, frames, True, 42)
assert tracker.doesProjectGenerateIFDs(name) is True
assert tracker.isProjectRunning(name) is True
assert name in tracker.getAllProjects()
assert tracker.suggestInactiveProjectName(name) == name + " (2)"

# the local render monitor: poll changes from event id 0
seen = {}
since = 0


def poll():
    global since
    result = tracker.getChangedFrames(name, since)
    assert set(result.keys()) == {"changes", "event_id"}, result
    assert result["event_id"] >= since
    for frame, status, fraction in result["changes"]:
        seen[frame] = (status, fraction)
    since = result["event_id"]


poll()
assert sorted(seen) == frames and all(s == (0, 0.0) for s in seen.values()), seen

# IFD generation job
for f in frames:
    tracker.startedGeneratingFrameIFD(name, f)
    tracker.endedGeneratingFrameIFD(name, f)
poll()
assert all(s[0] == 2 for s in seen.values()), seen

# render jobs: Mantra's tile callback sends progress truncated to two decimals, then 100.0
for f in frames[:-1]:
    tracker.startedFrameRender(name, f, 100 + f, "/render/out/shot.%04d.exr" % f)
    for tile in range(1, 8):
        tracker.setFrameRenderFraction(name, f, int(tile / 8.0 * 100) / 100.0)
    poll()
    assert seen[f][0] == 3 and abs(seen[f][1] - 0.87) < 1e-9, seen[f]
    tracker.setFrameRenderFraction(name, f, 100.0)
    tracker.setFrameDownloadFraction(name, f, 0.5)
    tracker.setFrameDownloadFraction(name, f, 1.0)
    assert tracker.getFrameJobID(name, f) == 100 + f
    assert tracker.getImagePath(name, f) == "/render/out/shot.%04d.exr" % f

assert tracker.getImagePath(name, 5) is None
assert tracker.getFrameJobID(name, 5) == 42
estimate = tracker.getEstimatedRenderSecondsLeft(name)
assert isinstance(estimate, float) and estimate >= 0.0, estimate
assert tracker.isProjectDone(name) is False

# a bad fraction is a clear fault, the server keeps serving
try:
    tracker.setFrameRenderFraction(name, 5, 250.0)
    raise AssertionError("expected a fault")
except xmlrpc.client.Fault as e:
    assert e.faultCode == 3 and "out of range" in e.faultString, (e.faultCode, e.faultString)
try:
    tracker.getFrameLog("no such project", 1)
    raise AssertionError("expected a fault")
except xmlrpc.client.Fault as e:
    assert e.faultCode == 1, e.faultCode

# last frame fails once, then succeeds on retry
tracker.startedFrameRender(name, 5, 105, "/render/out/shot.0005.exr")
tracker.setFrameError(name, 5, "mantra: segmentation fault")
poll()
assert seen[5][0] == 7, seen[5]
assert "segmentation fault" in tracker.getFrameLog(name, 5)
tracker.startedFrameRender(name, 5, 106, "/render/out/shot.0005.exr")
tracker.setFrameRenderFraction(name, 5, 1.0)
tracker.setFrameDownloadFraction(name, 5, 1.0)

poll()
assert all(s == (6, 1.0) for s in seen.values()), seen
assert tracker.isProjectDone(name) is True
assert tracker.isProjectRunning(name) is False
assert tracker.getEstimatedRenderSecondsLeft(name) == 0.0
log = tracker.getFrameLog(name, 1)
for expected in ("project started", "generating IFD", "IFD generated", "rendering started", "rendered", "downloaded"):
    assert expected in log, (expected, log)
last = tracker.incrementAndGetLastEventId()
assert last > since

# a call over the tracker's body limit (1 MiB) is an XML-RPC fault, not an HTTP error, and the
# tracker keeps answering (the proxy opens a new connection: the server closed the old one)
try:
    tracker.suggestInactiveProjectName("x" * (10 * 1024 * 1024))
    raise AssertionError("expected a fault for a 10 MB call")
except xmlrpc.client.Fault as e:
    assert e.faultCode == -32300 and "limit" in e.faultString, (e.faultCode, e.faultString)
assert tracker.isRunning() is True
print("OK " + name)
