#!/usr/bin/python3
"""Reads lantu's 申报方案 draft with python-docx (an independent reader) and prints what a
test compares: the headings with their levels, every table as rows of cells, the number of
inline pictures and the placeholders. Usage: check_docx.py FILE.docx  (prints JSON)."""
import json
import sys

import docx

d = docx.Document(sys.argv[1])
headings = [
    [p.style.name, p.text]
    for p in d.paragraphs
    if p.style is not None and p.style.name.lower().startswith(("heading", "title"))
]
tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
text = "\n".join(p.text for p in d.paragraphs)
json.dump(
    {
        "headings": headings,
        "tables": tables,
        "pictures": len(d.inline_shapes),
        "placeholders": text.count("【待补充】"),
        "section_orientation": [int(s.orientation) for s in d.sections],
    },
    sys.stdout,
    ensure_ascii=False,
)
