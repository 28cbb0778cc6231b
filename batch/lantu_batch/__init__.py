"""Run ``lantu analyze`` on every area of a ``lantu batch split`` as tasks on Dask
distributed: one machine with a ``LocalCluster``, or many through a scheduler address.

    python -m lantu_batch run SPLIT/batch.csv --out RUNS [--workers 2]

Each task declares the memory its area is expected to need as the ``MEMORY`` resource, so
two large areas never share a worker; a failed or lost task is retried; an area whose
output folder already holds a complete ``manifest.json`` for the same inputs is skipped.
"""

from .manifest import Area, read_areas
from .resume import is_done
from .run import run_batch

__all__ = ["Area", "read_areas", "is_done", "run_batch"]
