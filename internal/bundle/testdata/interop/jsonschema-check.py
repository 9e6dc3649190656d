"""Validates payloads against an exported payhooks bundle with Python's
jsonschema (Draft 2020-12, formats checked) and prints one verdict per case
as JSON. Usage: python3 jsonschema-check.py BUNDLE_DIR CASES_JSON"""
import json
import os
import sys

import jsonschema

bundle, cases_file = sys.argv[1], sys.argv[2]
with open(os.path.join(bundle, "index.json")) as f:
    index = json.load(f)
validators = {}
for p in index["providers"]:
    files = [e["schema"] for e in p["events"]] + ([p["envelope"]] if p.get("envelope") else [])
    for name in files:
        with open(os.path.join(bundle, name)) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[name] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
with open(cases_file) as f:
    cases = json.load(f)
results = []
for c in cases:
    with open(c["payload"]) as f:
        payload = json.load(f)
    errors = sorted(validators[c["schema"]].iter_errors(payload), key=lambda e: list(e.path))
    results.append({"payload": c["payload"], "valid": not errors,
                    "errors": ["/" + "/".join(map(str, e.path)) + " " + e.message for e in errors]})
print(json.dumps({"compiled": len(validators), "jsonschema": jsonschema.__name__, "results": results}))
