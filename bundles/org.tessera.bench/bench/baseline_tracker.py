#!/usr/bin/env python3
# SPDX-License-Identifier: EPL-2.0
"""Baseline for `tessera tracker bench`: a plain Python SimpleXMLRPCServer render-tracker stand-in
doing the same in-memory bookkeeping as the real tracker (frames with status, fraction, event id and
a log), without any storage. Prints "LISTENING <port>" once it serves.

usage: baseline_tracker.py [PORT]   (0 or nothing: any free port)
"""
import sys
import threading
import time
from xmlrpc.server import SimpleXMLRPCServer

WAITING, RENDERING, RENDERED = 0, 3, 4


class Tracker:
    def __init__(self):
        self.projects = {}
        self.last_event_id = 0
        self.lock = threading.Lock()

    def _next_id(self):
        self.last_event_id += 1
        return self.last_event_id

    def isRunning(self):
        return True

    def startedRenderProject(self, name, frame_numbers, generate_ifds, job_id):
        frames = {}
        for n in frame_numbers:
            frames[n] = {"status": WAITING, "fraction": 0.0, "event_id": self._next_id(),
                         "job_id": job_id, "log": [(time.time(), "project started")]}
        self.projects[name] = {"frames": frames, "generate_ifds": generate_ifds, "last": self.last_event_id}
        return True

    def setFrameRenderFraction(self, name, number, fraction):
        if fraction != fraction or fraction < 0 or fraction > 100:
            raise ValueError("fraction out of range")
        if fraction > 1.0:
            fraction /= 100.0
        project = self.projects[name]
        frame = project["frames"][number]
        status = RENDERED if fraction >= 1.0 else RENDERING
        if frame["status"] != status:
            frame["log"].append((time.time(), "status %d" % status))
        if frame["status"] == status and frame["fraction"] == fraction:
            return True
        frame["status"] = status
        frame["fraction"] = fraction
        frame["event_id"] = self._next_id()
        project["last"] = frame["event_id"]
        return True

    def getAllFramesInfo(self, name):
        frames = self.projects[name]["frames"]
        return [[n, f["status"], f["fraction"]] for n, f in sorted(frames.items())]

    def getChangedFrames(self, name, since_event_id):
        project = self.projects[name]
        changes = [[n, f["status"], f["fraction"]] for n, f in sorted(project["frames"].items())
                   if f["event_id"] > since_event_id]
        return {"changes": changes, "event_id": project["last"]}


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = SimpleXMLRPCServer(("127.0.0.1", port), logRequests=False, allow_none=True)
    server.register_instance(Tracker())
    print("LISTENING %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
