"""One area's run: ``lantu analyze`` in a subprocess, its progress passed on to the client."""

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

PROGRESS_TOPIC = "lantu-progress"


def analyze_command(lantu: str, project: Path, out: Path, extra: list) -> list:
    """The command an area runs."""
    return [lantu, "analyze", str(project), "--out", str(out), "--force", "--progress", "json", *extra]


def _publish(message: dict) -> None:
    """Sends a progress message to the client, when running inside a Dask worker."""
    try:
        from distributed import get_worker

        get_worker().log_event(PROGRESS_TOPIC, message)
    except (ImportError, ValueError):
        pass


def _drain(events) -> None:
    while True:
        try:
            _publish(events.get_nowait())
        except queue.Empty:
            return


def run_area(area_code: str, command: list, logs: str) -> dict:
    """Runs ``command`` for the area; raises when it fails, so that Dask retries it.

    Every attempt is counted in ``logs/<area>.attempts``; stdout goes to
    ``<area>.out.log``, stderr lines that are not progress to ``<area>.err.log``.
    Returns the seconds taken and the peak resident memory of the lantu process.
    """
    logs = Path(logs)
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{area_code}.attempts", "a", encoding="utf-8") as f:
        f.write(f"{time.time():.3f} {os.getpid()}\n")
    start = time.monotonic()
    with open(logs / f"{area_code}.out.log", "w", encoding="utf-8") as out_log, open(
        logs / f"{area_code}.err.log", "w", encoding="utf-8"
    ) as err_log:
        proc = subprocess.Popen(command, stdout=out_log, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        tail, events = [], queue.Queue()

        def read_stderr():
            for line in proc.stderr:
                try:
                    event = json.loads(line)
                except ValueError:
                    event = None
                if isinstance(event, dict) and "stage" in event:
                    events.put({"area": area_code, **event})
                else:
                    err_log.write(line)
                    tail.append(line.rstrip())
                    del tail[:-5]

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        # the worker's event log is used from the task's own thread only
        while True:
            # wait4: this child's own peak memory (getrusage would give the largest of all children)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            _drain(events)
            if pid:
                break
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
        _drain(events)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        why = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit status {proc.returncode}"
        raise RuntimeError(f"area {area_code}: lantu {why}: {' | '.join(tail)}")
    return {"area": area_code, "seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024)}
