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


def _row(area, status, seconds="", peak_mib="", attempts=0):
    """A row of ``runs.csv``."""
    return {"area": area.code, "name": area.name, "status": status, "seconds": seconds, "peak_mib": peak_mib,
            "memory_estimate_mib": area.memory_mib, "attempts": attempts}


def run_batch(client, manifest, out, lantu="lantu", extra=(), retries=2, worker_memory_mib=None, say=print,
              lang="zh"):
    """Runs every area of ``manifest`` (a ``batch.csv``) on ``client``'s cluster into
    ``out/<folder>``, and writes ``out/runs.csv``. Returns the rows written there.

    ``worker_memory_mib`` is the ``MEMORY`` resource each worker offers: an area that
    needs more runs alone on a worker, with its need capped to it (and a warning).
    ``say`` gets every line, in ``lang`` (``zh`` or ``en``).
    """

    def t(zh, en):
        say(zh if lang == "zh" else en)

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
            stage = m.get("stage_zh") if lang == "zh" else m["stage"]
            say(f"  {m['area']}: {stage} ({m.get('done')}/{m.get('total')}) {m.get('seconds')} s")

    client.subscribe_topic(PROGRESS_TOPIC, progress)
    for a in areas:
        command = analyze_command(lantu, a.project, out / a.folder, list(extra))
        done, why = is_done(out / a.folder, command, version)
        if done:
            t(f"跳过 {a.code} {a.name}：已完成", f"skipped {a.code} {a.name}: already done")
            rows.append(_row(a, "skipped"))
            continue
        need = a.memory_mib
        if worker_memory_mib is not None and need > worker_memory_mib:
            t(f"警告：{a.code} 约需 {need} MiB，超过每个工作进程可用的 {worker_memory_mib} MiB：将单独运行",
              f"warning: {a.code} needs about {need} MiB, more than a worker offers "
              f"({worker_memory_mib} MiB): it runs alone")
            need = worker_memory_mib
        t(f"排队 {a.code} {a.name}（{why.pick('zh')}；约 {a.memory_mib} MiB）",
          f"queued {a.code} {a.name} ({why}; about {a.memory_mib} MiB)")
        f = client.submit(run_area, a.code, command, str(logs), key=f"lantu-{a.folder}", pure=False,
                          retries=retries, resources={MEMORY: need})
        futures[f] = a
    for f in as_completed(list(futures)):
        a = futures[f]
        attempts_file = logs / f"{a.code}.attempts"
        attempts = len(attempts_file.read_text().splitlines()) if attempts_file.is_file() else 0
        try:
            r = f.result()
            t(f"完成 {a.code} {a.name}：{r['seconds']} 秒，内存峰值 {r['peak_mib']} MiB"
              f"（预计 {a.memory_mib}），第 {attempts} 次运行",
              f"done {a.code} {a.name}: {r['seconds']} s, peak {r['peak_mib']} MiB "
              f"(estimate {a.memory_mib}), attempts {attempts}")
            rows.append(_row(a, "done", r["seconds"], r["peak_mib"], attempts))
        except Exception as e:  # the task failed every attempt: report it, run the rest
            t(f"失败 {a.code} {a.name}（运行 {attempts} 次）：{e}", f"FAILED {a.code} {a.name} after {attempts} attempts: {e}")
            rows.append(_row(a, "failed", attempts=attempts))
    order = {a.code: i for i, a in enumerate(areas)}
    rows.sort(key=lambda r: order[r["area"]])
    with open(out / "runs.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()) if rows else ["area"])
        w.writeheader()
        w.writerows(rows)
    return rows


def local_client(workers, memory_mib_per_worker, threads_per_worker=1):
    """A ``LocalCluster`` of ``workers`` processes, each running up to ``threads_per_worker``
    areas at once as long as their memory fits the ``memory_mib_per_worker`` of ``MEMORY`` it
    offers. Dask's own memory limit is off: the memory is used by the lantu processes, which
    the resource accounts for."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True, memory_limit=0,
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
    r.add_argument("--threads-per-worker", type=int, default=1,
                   help="areas a local worker may run at once, memory permitting (default 1: lantu uses every core)")
    r.add_argument("--memory-mib", type=int, help="MEMORY each worker offers (default: this machine's memory ÷ workers)")
    r.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786) instead of a local cluster")
    r.add_argument("--lantu", default="lantu", help="the lantu program (default: lantu on PATH)")
    r.add_argument("--retries", type=int, default=2, help="retries of a failed area (default 2)")
    r.add_argument("--analyze-args", default="", help='more options for every `lantu analyze`, e.g. "--pilots 10 --no-maps"')
    r.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the lines printed (default zh)")
    a = p.parse_args(argv)
    t0 = time.monotonic()
    try:
        areas = read_areas(a.manifest)
        lantu_version(a.lantu)
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        zh = f"错误：{e}（批量清单由 lantu batch split 生成；lantu 程序用 --lantu 指定）"
        en = f"error: {e} (the manifest is made by lantu batch split; name the lantu program with --lantu)"
        print(zh if a.lang == "zh" else en, file=sys.stderr)
        return 2
    if not areas:
        print("批量清单中没有区域" if a.lang == "zh" else "the manifest lists no area", file=sys.stderr)
        return 2
    if a.scheduler:
        from distributed import Client

        client, memory = Client(a.scheduler), a.memory_mib
    else:
        memory = a.memory_mib or total_memory_mib() // max(a.workers, 1)
        client = local_client(a.workers, memory, a.threads_per_worker)
    with client:
        rows = run_batch(client, a.manifest, a.out, lantu=a.lantu, extra=shlex.split(a.analyze_args),
                         retries=a.retries, worker_memory_mib=memory, lang=a.lang)
    n = {s: sum(r["status"] == s for r in rows) for s in ("done", "skipped", "failed")}
    secs, table = time.monotonic() - t0, Path(a.out) / "runs.csv"
    if a.lang == "zh":
        print(f"完成 {n['done']}，跳过 {n['skipped']}，失败 {n['failed']}，用时 {secs:.1f} 秒；{table}")
    else:
        print(f"{n['done']} done, {n['skipped']} skipped, {n['failed']} failed in {secs:.1f} s; {table}")
    return 1 if n["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
