"""Whether an area's output folder already holds its finished run.

lantu writes ``manifest.json`` last, into a temporary folder it renames into place, so a
folder with a manifest is a finished run. It is the same run when the manifest names the
same lantu version and the same options, and every input it lists — layers, grids, the
project file and its profile — still has the size and SHA-256 it had.
"""

import hashlib
import json
from pathlib import Path

# options that do not change what a run writes
_NEUTRAL = {"--force", "--progress", "--threads"}
_WITH_VALUE = {"--progress", "--threads", "--out"}


def sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def options(command: list) -> list:
    """The options of a ``lantu analyze`` command that decide its outputs: the program,
    ``--out``, ``--force``, ``--progress`` and ``--threads`` left out."""
    out, skip = [], False
    for arg in command[1:]:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _WITH_VALUE and "=" not in arg:
            skip = True
        if name in _NEUTRAL or name == "--out":
            continue
        out.append(arg)
    return out


class Why(tuple):
    """Why an area runs: ``(zh, en)``; ``str()`` is the English."""

    def __new__(cls, zh, en):
        return super().__new__(cls, (zh, en))

    def __str__(self):
        return self[1]

    def pick(self, lang):
        return self[0] if lang == "zh" else self[1]


def is_done(out: Path, command: list, version: str) -> tuple:
    """``(True, None)`` when ``out`` holds a finished run of ``command`` by lantu
    ``version`` on unchanged inputs, else ``(False, Why)``."""
    manifest = Path(out) / "manifest.json"
    if not manifest.is_file():
        return False, Why("尚无 manifest.json", "no manifest.json")
    try:
        m = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return False, Why(f"manifest.json 无法读取：{e}", f"manifest.json unreadable: {e}")
    made_by = m.get("lantu_version")
    if made_by != version:
        return False, Why(f"由 lantu {made_by} 生成，当前为 {version}", f"made by lantu {made_by}, this is {version}")
    if options(m.get("command", [])) != options(command):
        return False, Why("参数不同", "made with other options")
    missing = [o for o in m.get("outputs", []) if not (Path(out) / o).is_file()]
    if missing:
        return False, Why(f"缺 {len(missing)} 个输出（如 {missing[0]}）", f"{len(missing)} outputs missing (e.g. {missing[0]})")
    inputs = m.get("inputs", [])
    if not inputs:
        return False, Why("manifest 未列输入", "manifest lists no inputs")
    for i in inputs:
        p = Path(i["path"])
        if not p.is_file():
            return False, Why(f"输入 {p} 已不存在", f"input {p} is gone")
        if p.stat().st_size != i["bytes"] or sha256(p) != i["sha256"]:
            return False, Why(f"输入 {p} 已改变", f"input {p} changed")
    return True, None
