#!/usr/bin/python3
"""Drives lantu's web page in headless Chromium over the DevTools protocol (a pipe, no
extra package): opens it from file://, waits for data-lantu-ready, clicks a community,
reads the panel, takes a screenshot.

Usage: drive_page.py INDEX_HTML SCREENSHOT_PNG [COMMUNITY_CODE [QUERY]]
Prints one JSON object: ready (the body's data-lantu-ready), seconds (navigation to ready),
errors (console errors and exceptions), selected, panel (its text), table_first (the first
row's code), legend (its text), fill (the communities' fill expression), pilots_drawn (pilot
outlines rendered). Exits 2 when Chromium is missing or the page never gets ready.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# a file (opened from file://) or an address (a page served by `lantu serve`)
page = sys.argv[1] if sys.argv[1].startswith("http") else "file://" + os.path.abspath(sys.argv[1])
shot = sys.argv[2]
code = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
query = sys.argv[4] if len(sys.argv) > 4 else ""
# Debian's /usr/bin/chromium is a shell launcher; the browser itself keeps the pipe's fds
chromium = next((c for c in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if c and os.path.exists(c)), None)
if not chromium:
    print("chromium is needed: apt-get install chromium", file=sys.stderr)
    sys.exit(2)

to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def child_fds():
    # Chromium reads commands on fd 3 and writes replies on fd 4; move the ends out of the
    # way first (the pipes may themselves be fds 3–6), dup2 makes them inheritable
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(a, 3)
    os.dup2(b, 4)


profile = tempfile.mkdtemp(prefix="lantu-chromium-")
proc = subprocess.Popen(
    [chromium, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--no-first-run",
     "--enable-unsafe-swiftshader", "--window-size=1400,900",
     f"--user-data-dir={profile}", "about:blank"],
    preexec_fn=child_fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)
buffer = b""
events = []
next_id = [0]


def read_message():
    global buffer
    while b"\0" not in buffer:
        chunk = inp.read(65536)
        if not chunk:
            raise RuntimeError("chromium closed the pipe")
        buffer += chunk
    raw, buffer = buffer.split(b"\0", 1)
    return json.loads(raw)


def call(method, params=None, session=None):
    next_id[0] += 1
    msg = {"id": next_id[0], "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    while True:
        m = read_message()
        if m.get("id") == next_id[0]:
            if "error" in m:
                raise RuntimeError(f"{method}: {m['error']}")
            return m.get("result", {})
        events.append(m)


def evaluate(session, expression):
    r = call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
    return r.get("result", {}).get("value")


result = {"errors": []}
try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for method in ("Runtime.enable", "Log.enable", "Page.enable"):
        call(method, {}, session)
    call("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False},
         session)
    start = time.time()
    call("Page.navigate", {"url": page + query}, session)
    ready = ""
    while time.time() - start < 90:
        ready = evaluate(session, "document.body && document.body.dataset.lantuReady || ''") or ""
        if ready:
            break
        time.sleep(0.05)
    result["seconds"] = round(time.time() - start, 3)
    result["page_times_ms"] = evaluate(session, "JSON.stringify(window.lantuTimes || {})")
    result["ready"] = ready
    if ready and code:
        point = evaluate(session, f"JSON.stringify(window.lantuPage.pointOf({json.dumps(code)}))")
        point = json.loads(point) if point else None
        result["point"] = point
        if point:
            for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
                call("Input.dispatchMouseEvent", {"type": kind, "x": point["x"], "y": point["y"], "button": "left",
                                                  "clickCount": 1}, session)
            time.sleep(0.5)
        result["selected"] = evaluate(session, "window.lantuPage.selected()")
        result["panel"] = evaluate(session, "document.getElementById('panel').hidden ? '' : document.getElementById('panel').innerText")
        result["selected_row"] = evaluate(session, "(document.querySelector('#table tr.selected') || {}).innerText || ''")
    result["table_first"] = evaluate(session, "(document.querySelector('#table tbody tr') || {dataset: {}}).dataset.code || ''")
    if page.startswith("http"):
        # the served base layers arrive as tiles once the map shows street scale
        while time.time() - start < 60:
            if evaluate(session, "window.lantuPage.drawn('buildings')"):
                break
            time.sleep(0.2)
        result["buildings_drawn"] = evaluate(session, "window.lantuPage.drawn('buildings')")
        result["network_drawn"] = evaluate(session, "window.lantuPage.drawn('network')")
        result["tiled"] = evaluate(session, "window.lantuPage.tiled('buildings')")
    result["legend"] = evaluate(session, "document.getElementById('legend').innerText")
    # what the map draws: the communities' fill and the pilots' outlines on screen
    result["fill"] = evaluate(session, "window.lantuPage.map && window.lantuPage.map.getLayer ? "
                                       "JSON.stringify(window.lantuPage.map.getPaintProperty('communities', 'fill-color')) : ''")
    result["pilots_drawn"] = evaluate(session, "window.lantuPage.map && window.lantuPage.map.getLayer && "
                                               "window.lantuPage.map.getLayer('pilots') ? "
                                               "window.lantuPage.map.queryRenderedFeatures({layers: ['pilots']}).length : 0")
    time.sleep(0.3)
    png = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
    with open(shot, "wb") as f:
        f.write(base64.b64decode(png))
    for m in events:
        method, p = m.get("method"), m.get("params", {})
        if method == "Runtime.exceptionThrown":
            result["errors"].append(p.get("exceptionDetails", {}).get("text", "exception") + " " +
                                    json.dumps(p.get("exceptionDetails", {}).get("exception", {}).get("description", "")))
        elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
            result["errors"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            result["errors"].append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
finally:
    try:
        call("Browser.close")
    except Exception:
        pass
    proc.wait(timeout=10)
    shutil.rmtree(profile, ignore_errors=True)
print(json.dumps(result, ensure_ascii=False))
sys.exit(0 if result.get("ready") else 2)
