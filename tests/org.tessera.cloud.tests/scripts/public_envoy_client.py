#!/usr/bin/env python3
# SPDX-License-Identifier: EPL-2.0
"""Drives an Envoy service with the PUBLIC GridMarkets Envoy Python client 0.7.0 (not part of Tessera;
run with PYTHONPATH=<repo>/../shared/thirdparty/gm-envoy-client-python and the system python3, which
has requests and future).

usage:
  public_envoy_client.py run BASE_URL EMAIL ACCESS_KEY PROJECT_FOLDER PROJECT_NAME RESULTS_FOLDER
      the whole public workflow against a running gateway; the folder holds scene.pov and
      spheres.json. Prints one line "RESULT <json>" at the end (exit 0), or fails with a traceback.
  public_envoy_client.py record OUT_FILE
      a loopback HTTP server answering like an Envoy agent that records every request body as one
      JSON line {"method", "path", "body"} in OUT_FILE; prints "LISTENING <port>" and serves until
      stdin closes.
  public_envoy_client.py bodies PROJECT_FOLDER RESULTS_FOLDER OUT_FILE
      builds the reference project (see reference_project) with the public client against its own
      recording server and writes what the client sent to OUT_FILE.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gridmarkets import EnvoyClient, Job, Project, WatchFile
from gridmarkets.errors import AuthenticationError

FINAL = ("Completed", "Failed", "Stopped", "Suspended")


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def wait_done(client, name, seconds=240):
    deadline = time.time() + seconds
    seen = []
    while True:
        status = client.get_project_status(name)
        check(status is not None, "no status for %r" % name)
        seen.append(status)
        if status["State"] in FINAL:
            return status, seen
        check(time.time() < deadline, "project %r did not finish: %s" % (name, status))
        time.sleep(0.2)


def run(base, email, key, folder, name, results):
    out = {}
    # a wrong key is an AuthenticationError
    wrong = EnvoyClient(email=email, access_key="not-the-key", url=base)
    try:
        wrong.validate_auth()
        raise AssertionError("a wrong access key was accepted")
    except AuthenticationError as e:
        out["wrong_key"] = type(e).__name__

    client = EnvoyClient(email=email, access_key=key, url=base)
    check(client.validate_auth() is True, "validate_auth")
    # client 0.7.0 has no get_user_info / get_machines methods: its own HTTP client asks the
    # documented endpoints (as the newer clients do)
    user = client.http_client.request("get", base + "/user-info").json()
    user = user.get("data", user)
    check(user["email_address"] == email, user)
    out["user_info"] = user
    client.validate_credits()  # raises InsufficientCreditsError when credits <= 0
    credits = client.http_client.request("get", base + "/credits-info").json()
    check(credits["credits_available"] > 0, credits)
    out["credits"] = credits

    resolver = client.get_product_resolver()
    types = resolver.get_all_types()
    check("povray" in types and "raytracer" in types, types)
    povray_versions = resolver.get_versions_by_type("povray")
    raytracer_versions = resolver.get_versions_by_type("raytracer")
    check(len(povray_versions) == 1 and povray_versions[0].startswith("3.7."), povray_versions)
    out["types"] = types
    out["povray_versions"] = povray_versions
    out["combinations"] = resolver.get_compatible_combinations(("povray:" + povray_versions[0],))
    machines = client.http_client.request(
        "get", base + "/machines?product=povray&operation=render&category=cpu").json()
    check(len(machines) >= 1 and all("id" in m for m in machines), machines)
    out["machines"] = machines

    # project 1: files added, two jobs (the second waits for the first), a watch folder
    project = Project(folder, name=name)
    project.add_files("scene.pov", "spheres.json")
    first = Job("first", "povray", "3.7", "render", name + "/scene.pov",
                frames="1 2", instances=2, output_width=64, output_height=48)
    second = Job("second", "raytracer", raytracer_versions[0], "render", name + "/spheres.json",
                 frames="3 4", output_width=64, output_height=48)
    second.add_dependencies(first)
    project.add_jobs(first, second)
    project.add_watch_files(WatchFile("{0}/.+".format(project.remote_output_folder), results))
    check(client.upload_project_files(project) == name, "upload_project_files")
    check(client.submit_project(project) == name, "submit_project")
    status, seen = wait_done(client, name)
    out["status1"] = status
    # the second job starts only once the first completed, in every status seen
    ordered = 0
    for st in seen:
        jobs = dict((j["Name"], j["State"]) for j in st.get("Jobs", []))
        if jobs.get("second", "Waiting") != "Waiting":
            check(jobs.get("first") == "Completed", "second ran before first completed: %s" % jobs)
            ordered += 1
    out["polls_with_second_started"] = ordered
    out["polls"] = len(seen)
    out["output1"] = project.remote_output_folder_name

    # project 2: the files are there already (skip_upload); a new submission, a new output folder
    again = Project(folder, name=name)
    again.add_files("scene.pov")
    third = Job("third", "povray", povray_versions[0], "render", name + "/scene.pov",
                frames="1", output_width=64, output_height=48)
    again.add_jobs(third)
    again.add_watch_files(WatchFile("{0}/.+".format(again.remote_output_folder), results + "-again"))
    check(again.remote_output_folder_name != project.remote_output_folder_name, "two output folders")
    check(client.submit_project(again, skip_upload=True) == name, "submit_project skip_upload")
    status, _ = wait_done(client, name)
    out["status2"] = status
    out["output2"] = again.remote_output_folder_name
    print("RESULT " + json.dumps(out))


class Recorder(BaseHTTPRequestHandler):
    """Answers like an Envoy agent and records each request."""
    out_file = None
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _record(self, body):
        with Recorder.lock, open(Recorder.out_file, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path, "body": body}) + "\n")

    def _answer(self, status, value):
        data = json.dumps(value).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._record(None)
        if self.path.startswith("/credits-info"):
            self._answer(200, {"credits_available": 100.0, "credits_consumed": 0.0})
        elif self.path.startswith("/user-info"):
            self._answer(200, {"data": {"email_address": "x@example.com", "credits_available": 100.0}})
        else:
            self._answer(200, [])

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        self._record(body)
        if self.path == "/auth":
            self._answer(200, {"Message": "authenticated", "Token": "recorded"})
        elif self.path == "/upload":
            root = body["upload"][0]["remoteRoot"].lstrip("/")
            self._answer(200, {"ID": root})
        elif self.path == "/project-submit":
            self._answer(201, {"ID": body["project_files"]["remoteRoot"].lstrip("/")})
        else:
            self._answer(404, {"Message": "not recorded"})


def start_recorder(out_file):
    Recorder.out_file = out_file
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def reference_project(folder, results):
    """The project PublicEnvoyClientTest also builds with Tessera's Java client."""
    project = Project(folder, name="compare")
    project.add_files("scene.pov", "assets/tex.inc")
    a = Job("first", "povray", "3.7", "render", "compare/scene.pov",
            frames="1 2", instances=1, machine_type="", output_width=64, output_height=48)
    b = Job("second shot", "povray", "3.7", "render", "compare/scene.pov",
            frames="3", instances=2, machine_type="", output_width=64, output_height=48)
    b.add_dependencies(a)
    project.add_jobs(a, b)
    project.add_watch_files(WatchFile("{0}/.+".format(project.remote_output_folder), results))
    return project


def bodies(folder, results, out_file):
    server = start_recorder(out_file)
    base = "http://127.0.0.1:%d" % server.server_address[1]
    client = EnvoyClient(email="x@example.com", access_key="k", url=base)
    project = reference_project(folder, results)
    client.upload_project_files(project)
    client.submit_project(project)
    server.shutdown()


def main(argv):
    mode = argv[1]
    if mode == "run":
        run(*argv[2:8])
    elif mode == "record":
        server = start_recorder(argv[2])
        print("LISTENING %d" % server.server_address[1], flush=True)
        sys.stdin.read()
        server.shutdown()
    elif mode == "bodies":
        # the client prints the upload body and the answer on stdout; the file is what counts
        bodies(argv[2], argv[3], argv[4])
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
