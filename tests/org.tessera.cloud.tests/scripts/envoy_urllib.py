#!/usr/bin/env python3
# SPDX-License-Identifier: EPL-2.0
"""Drives an Envoy service with the Python standard library only, using exactly the request bodies
of the public Envoy protocol (REFERENCE.md "Cloud submission"): POST /auth, GET /credits-info,
GET /products, POST /upload, POST /project-submit, GET /project-status/{name}.

usage: envoy_urllib.py BASE_URL EMAIL ACCESS_KEY PROJECT_FOLDER   (the folder holds spheres.json)
"""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, email, key, root = sys.argv[1:5]
name = os.path.basename(root.rstrip("/"))


session = {}


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    headers.update(session)
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


status, _ = call("POST", "/auth", {"Username": email, "AccessKey": "wrong"})
assert status == 401, status
status, _ = call("GET", "/credits-info")
assert status == 401, "a failed login logs out: %s" % status
status, login = call("POST", "/auth", {"Username": email, "AccessKey": key})
assert status == 200, status
# the gateway under test has several users: requests name the session (X-Envoy-Session)
session["X-Envoy-Session"] = login["Token"]
status, credits = call("GET", "/credits-info")
assert status == 200 and credits["credits_available"] > 0, credits
status, products = call("GET", "/products")
assert status == 200, products
engine = [p for p in products if p["app_type"] == "raytracer"][0]
for field in ("app_type", "version", "compatible_modules", "id", "name"):
    assert field in engine, field

status, answer = call("POST", "/upload", {"upload": [{"localRoot": root, "remoteRoot": "/" + name,
                                                       "files": ["spheres.json"]}]})
assert status == 200 and answer["ID"] == name, (status, answer)

stamp = time.strftime("%Y-%m-%d_%H-%M-%S")
output = "/%s/render_results/%s" % (name, stamp)
submit = {
    "project_request": {
        "name": "%s %s" % (name, stamp),
        "params": {},
        "jobs": [{
            "id": "job-1", "name": "python job", "app": "raytracer", "app_version": engine["version"],
            "operation": "render", "path": name + "/spheres.json",
            "params": {"frames": "1", "output_width": 40, "output_height": 30,
                       "output_dir_name": output, "output_upload": [output + "/.+"]},
            "dependencies": [],
        }],
    },
    "project_files": {"localRoot": root, "remoteRoot": "/" + name, "files": ["spheres.json"]},
    "watch_files": {output.replace(".", "\\.") + "/.+": os.path.join(root, "gm_results")},
    "skip_upload": True,
}
status, answer = call("POST", "/project-submit", submit)
assert status == 201, (status, answer)

bad = json.loads(json.dumps(submit))
bad["project_request"]["jobs"][0]["app"] = "no-such-product"
status, answer = call("POST", "/project-submit", bad)
assert status == 400 and any("unknown product" in e for e in answer["errors"]), (status, answer)

deadline = time.time() + 120
while True:
    status, st = call("GET", "/project-status/" + urllib.parse.quote(name))
    assert status == 200, (status, st)
    for field in ("Code", "State", "Message", "BytesDone", "BytesTotal", "Speed", "Details"):
        assert field in st, field
    if st["State"] in ("Completed", "Failed", "Stopped", "Suspended"):
        break
    assert time.time() < deadline, st
    time.sleep(0.2)
assert st["State"] == "Completed", st
status, _ = call("GET", "/project-status/" + urllib.parse.quote("no such project"))
assert status == 404, status
print("PYTHON CLIENT OK", st["State"], st["BytesDone"], "/", st["BytesTotal"])
