"""The batch on a Dask cluster: one task per area, memory as a resource, retries, resume."""

import csv
import subprocess
import sys
import time
from pathlib import Path

from .manifest import read_areas
from .resume import is_done
from .task import PROGRESS_TOPIC, analyze_command, run_area

MEMORY = "MEMORY"


def lantu_version(lantu: str) -> str:
    """The version ``lantu --version`` prints (``lantu 0.1.0`` → ``0.1.0``)."""
    out = subprocess.run([lantu, "--version"], capture_output=True, text=True, check=True).stdout
    return out.split()[-1]


def run_batch(client, manifest, out, lantu="lantu", extra=(), retries=2, worker_memory_mib=None, say=print):
    """Runs every area of ``manifest`` (a ``batch.csv``) on ``client``'s cluster into
    ``out/<folder>``, and writes ``out/runs.csv``. Returns the rows written there.

    ``worker_memory_mib`` is the ``MEMORY`` resource each worker offers: an area that
    needs more runs alone on a worker, with its need capped to it (and a warning).
    """
    from distributed import as_completed

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    version = lantu_version(lantu)
    areas = read_areas(manifest)
    rows, futures = [], {}

    def progress(event):
        _, m = event
        if m.get("event") == "finished":
            say(f"  {m['area']}: {m.get('stage_zh') or m['stage']} ({m.get('done')}/{m.get('total')}) {m.get('seconds')} s")

    client.subscribe_topic(PROGRESS_TOPIC, progress)
    for a in areas:
        command = analyze_command(lantu, a.project, out / a.folder, list(extra))
        done, why = is_done(out / a.folder, command, version)
        if done:
            say(f"skipped {a.code} {a.name}: already done")
            rows.append({"area": a.code, "name": a.name, "status": "skipped", "seconds": "", "peak_mib": "",
                         "memory_estimate_mib": a.memory_mib, "attempts": 0})
            continue
        need = a.memory_mib
        if worker_memory_mib is not None and need > worker_memory_mib:
            say(f"warning: {a.code} needs about {need} MiB, more than a worker offers ({worker_memory_mib} MiB): it runs alone")
            need = worker_memory_mib
        say(f"queued {a.code} {a.name} ({why}; about {a.memory_mib} MiB)")
        f = client.submit(run_area, a.code, command, str(logs), key=f"lantu-{a.folder}", pure=False,
                          retries=retries, resources={MEMORY: need})
        futures[f] = a
    failed = 0
    for f in as_completed(list(futures)):
        a = futures[f]
        attempts_file = logs / f"{a.code}.attempts"
        attempts = len(attempts_file.read_text().splitlines()) if attempts_file.is_file() else 0
        try:
            r = f.result()
            say(f"done {a.code} {a.name}: {r['seconds']} s, peak {r['peak_mib']} MiB (estimate {a.memory_mib}), attempts {attempts}")
            rows.append({"area": a.code, "name": a.name, "status": "done", "seconds": r["seconds"],
                         "peak_mib": r["peak_mib"], "memory_estimate_mib": a.memory_mib, "attempts": attempts})
        except Exception as e:  # the task failed every attempt: report it, run the rest
            failed += 1
            say(f"FAILED {a.code} {a.name} after {attempts} attempts: {e}")
            rows.append({"area": a.code, "name": a.name, "status": "failed", "seconds": "", "peak_mib": "",
                         "memory_estimate_mib": a.memory_mib, "attempts": attempts})
    order = {a.code: i for i, a in enumerate(areas)}
    rows.sort(key=lambda r: order[r["area"]])
    with open(out / "runs.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()) if rows else ["area"])
        w.writeheader()
        w.writerows(rows)
    return rows


def local_client(workers, memory_mib_per_worker):
    """A ``LocalCluster`` of ``workers`` processes, one task at a time each, every worker
    offering ``memory_mib_per_worker`` of the ``MEMORY`` resource. Dask's own memory limit
    is off: the memory is used by the lantu processes, which the resource accounts for."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=0,
                           resources={MEMORY: memory_mib_per_worker}, dashboard_address=None)
    return Client(cluster)


def total_memory_mib():
    """This machine's memory, MiB."""
    import psutil

    return psutil.virtual_memory().total // (1 << 20)


def main(argv=None):
    import argparse
    import shlex

    p = argparse.ArgumentParser(prog="python -m lantu_batch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run every area of a batch.csv")
    r.add_argument("manifest", help="batch.csv written by `lantu batch split`")
    r.add_argument("--out", required=True, help="folder for the areas' output folders")
    r.add_argument("--workers", type=int, default=2, help="local workers (default 2)")
    r.add_argument("--memory-mib", type=int, help="MEMORY each worker offers (default: this machine's memory ÷ workers)")
    r.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786) instead of a local cluster")
    r.add_argument("--lantu", default="lantu", help="the lantu program (default: lantu on PATH)")
    r.add_argument("--retries", type=int, default=2, help="retries of a failed area (default 2)")
    r.add_argument("--analyze-args", default="", help='more options for every `lantu analyze`, e.g. "--pilots 10 --no-maps"')
    a = p.parse_args(argv)
    t0 = time.monotonic()
    if a.scheduler:
        from distributed import Client

        client, memory = Client(a.scheduler), a.memory_mib
    else:
        memory = a.memory_mib or total_memory_mib() // max(a.workers, 1)
        client = local_client(a.workers, memory)
    with client:
        rows = run_batch(client, a.manifest, a.out, lantu=a.lantu, extra=shlex.split(a.analyze_args),
                         retries=a.retries, worker_memory_mib=memory)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("done", "skipped", "failed")}
    print(f"{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed in {time.monotonic() - t0:.1f} s; "
          f"{Path(a.out) / 'runs.csv'}")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
