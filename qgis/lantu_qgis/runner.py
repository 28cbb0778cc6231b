"""Runs the lantu binary: progress from its JSON lines into the dialog, Cancel stops it."""

import json
import queue
import subprocess
import threading
import time

#: Engine stages a walking-network run reports (graph, coverage, flat, barrier-free,
#: sites, coverage areas) when lantu does not say (its lines carry `done` and `total`);
#: the bar reaches 80 % when they are done, writing takes the rest.
EXPECTED_STAGES = 6


class Cancelled(Exception):
    """The user pressed Cancel; lantu was stopped and removed what it had written."""


def run(args, feedback, stage_name):
    """Runs `args`; returns (exit status, stdout lines, stderr lines that are not progress).

    `stage_name(event)` gives the text shown for a progress event (Chinese or English).
    """
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace"
    ) as proc:
        status, out, err = _follow(proc, feedback, stage_name)
    if feedback.isCanceled():
        raise Cancelled()
    return status, out, err


def _follow(proc, feedback, stage_name):
    """Reads both streams until lantu ends (or is stopped on Cancel)."""
    lines = queue.Queue()

    def pump(stream, tag):
        for line in stream:
            lines.put((tag, line.rstrip("\n")))
        lines.put((tag, None))

    streams = ((proc.stdout, "out"), (proc.stderr, "err"))
    readers = [threading.Thread(target=pump, args=(s, t), daemon=True) for s, t in streams]
    for r in readers:
        r.start()
    out, err, open_streams, finished = [], [], 2, 0
    while open_streams:
        if feedback.isCanceled() and proc.poll() is None:
            proc.terminate()  # lantu removes its unfinished output folder on SIGTERM
            proc.wait()
        try:
            tag, line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
            continue
        if tag == "err" and line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                err.append(line)
                continue
            if event.get("event") == "started":
                feedback.setProgressText(stage_name(event))
            else:
                finished += 1
                done = event.get("done", finished)
                total = event.get("total") or EXPECTED_STAGES
                feedback.setProgress(min(80.0, 5.0 + 75.0 * done / total))
                feedback.pushInfo(f"{stage_name(event)}: {event.get('seconds', 0):.2f} s")
        elif tag == "err":
            err.append(line)
            feedback.pushWarning(line)
        else:
            out.append(line)
            feedback.pushConsoleInfo(line)
    while proc.poll() is None:
        time.sleep(0.05)
    return proc.returncode, out, err
