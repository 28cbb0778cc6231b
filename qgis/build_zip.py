#!/usr/bin/env python3
"""Builds lantu_qgis.zip for QGIS's "Install from ZIP": python3 qgis/build_zip.py [OUT.zip]."""

import os
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "target", "lantu_qgis.zip")
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(os.path.join(here, "lantu_qgis")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, here))
print(os.path.abspath(out))
