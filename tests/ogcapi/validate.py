#!/usr/bin/python3
"""Validates JSON documents against the OGC API – Features Part 1 schemas in schemas/.

Usage: validate.py SCHEMA_NAME DOCUMENT.json [SCHEMA_NAME DOCUMENT.json ...]
       (SCHEMA_NAME e.g. landingPage, confClasses, collections, collection, featureCollectionGeoJSON)
Prints one line per document; exits 1 when any is invalid, naming where and why.
"""
import json
import os
import sys

import jsonschema
import yaml

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")


def null_types(node):
    """YAML reads `type: null` (meant as JSON Schema's type "null") as no value: say "null"."""
    if isinstance(node, dict):
        return {k: ("null" if k == "type" and v is None else null_types(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [null_types(v) for v in node]
    return node


def load(uri):
    """The schemas refer to one another by file name: read them as YAML."""
    path = uri[len("file://"):] if uri.startswith("file://") else uri
    with open(path, encoding="utf-8") as f:
        return null_types(yaml.safe_load(f))


failed = False
args = sys.argv[1:]
for name, document in zip(args[0::2], args[1::2]):
    path = os.path.join(here, name + ".yaml")
    schema = load(path)
    resolver = jsonschema.RefResolver(base_uri="file://" + path, referrer=schema, handlers={"file": load})
    with open(document, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(jsonschema.Draft7Validator(schema, resolver=resolver).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{document}: {name}: at {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
    print(f"{document}: {name}: {'invalid' if errors else 'valid'}")
    failed |= bool(errors)
sys.exit(1 if failed else 0)
