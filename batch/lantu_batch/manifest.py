"""``batch.csv``, the list of areas ``lantu batch split`` writes."""

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Area:
    """One area: its code, name, folder and project, and the memory its run needs."""

    code: str
    name: str
    folder: str
    project: Path
    communities: int
    memory_mib: int


def read_areas(manifest: Path) -> list:
    """The areas of a ``batch.csv``, in its order; projects resolved beside it."""
    manifest = Path(manifest)
    with open(manifest, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {"area", "name", "folder", "project", "memory_mib"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"{manifest}: not a lantu batch.csv (no {', '.join(sorted(missing))})")
    return [
        Area(
            code=r["area"],
            name=r["name"],
            folder=r["folder"],
            project=(manifest.parent / r["project"]).resolve(),
            communities=int(r.get("communities") or 0),
            memory_mib=int(r["memory_mib"]),
        )
        for r in rows
    ]
