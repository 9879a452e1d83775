#!/usr/bin/env python3
# SPDX-License-Identifier: EPL-2.0
"""Job ids of any farm through the tracker, with nothing but the standard library's xmlrpc.client.

usage: job_ids.py write|read URL
  write: starts projects whose job ids are ints (HQueue) and strings (hex ids, UUIDs, a string that
         looks like a number), checks each comes back as sent, and that bad ids are refused (-32602).
  read:  after a restart of the tracker, checks the same ids come back with the same types.
Prints "OK <mode>" and exits 0 when every expectation held; raises otherwise.
"""
import sys
import xmlrpc.client

mode, url = sys.argv[1:3]
tracker = xmlrpc.client.ServerProxy(url)

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
HEX = "a3f9c2e1b7"
# project -> (project job id, {frame: frame job id set by startedFrameRender})
EXPECTED = {
    "ids/int": (42, {2: 4711}),
    "ids/hex": (HEX, {2: "ff00aa"}),
    "ids/uuid": (UUID, {1: "c56a4180-65aa-42ec-a945-5fd21dec0538"}),
    "ids/digits": ("0042", {3: "17"}),
    "ids/mixed": (7, {1: UUID, 2: 8}),
}


def check(project, frames):
    job, renders = EXPECTED[project]
    for frame in frames:
        want = renders.get(frame, job)
        got = tracker.getFrameJobID(project, frame)
        assert type(got) is type(want) and got == want, (project, frame, got, want)


if mode == "write":
    for project, (job, renders) in EXPECTED.items():
        tracker.startedRenderProject(project, [1, 2, 3], False, job)
        check(project, [1, 2, 3] if not renders else [])
        for frame, render_job in renders.items():
            tracker.startedFrameRender(project, frame, render_job, "/out/%s.%d.exr" % (project, frame))
        check(project, [1, 2, 3])
    # a log line names the id as sent
    assert UUID in tracker.getFrameLog("ids/uuid", 2), tracker.getFrameLog("ids/uuid", 2)
    for bad, why in ((3.5, "a job id"), ("", "must not be empty"), ("x" * 300, "at most 256"),
                     (True, "a job id")):
        try:
            tracker.startedRenderProject("ids/bad", [1], False, bad)
            raise AssertionError("accepted the job id %r" % (bad,))
        except xmlrpc.client.Fault as e:
            assert e.faultCode == -32602 and why in e.faultString, (bad, e.faultCode, e.faultString)
        try:
            tracker.startedFrameRender("ids/int", 1, bad, "")
            raise AssertionError("accepted the frame job id %r" % (bad,))
        except xmlrpc.client.Fault as e:
            assert e.faultCode == -32602 and why in e.faultString, (bad, e.faultCode, e.faultString)
    assert "ids/bad" not in tracker.getAllProjects()
    check("ids/int", [1, 2, 3])
elif mode == "read":
    for project in EXPECTED:
        check(project, [1, 2, 3])
else:
    raise SystemExit("mode must be write or read")
print("OK " + mode)
