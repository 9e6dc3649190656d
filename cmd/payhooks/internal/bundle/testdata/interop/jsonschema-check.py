"""Validates payloads against an exported payhooks bundle with Python's
jsonschema (Draft 2020-12, formats checked) and prints one verdict per case
as JSON. Both flavours of every schema are compiled.
Usage: python3 jsonschema-check.py BUNDLE_DIR CASES_JSON"""
import datetime
import json
import os
import re
import sys

import jsonschema

# Debian's python3-jsonschema checks date-time only with the optional
# rfc3339-validator package, which Debian does not ship; a user asks for it
# as here: an RFC 3339 date and time, read by the standard library.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
formats = jsonschema.FormatChecker()
if "date-time" not in formats.checkers:
    @formats.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True

bundle, cases_file = sys.argv[1], sys.argv[2]
with open(os.path.join(bundle, "index.json")) as f:
    index = json.load(f)
validators = {}
for p in index["providers"]:
    files = [f for e in p["events"] for f in (e["schema"], e["strict_schema"])]
    if p.get("envelope"):
        files += [p["envelope"], p["strict_envelope"]]
    for name in files:
        with open(os.path.join(bundle, name)) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[name] = jsonschema.Draft202012Validator(schema, format_checker=formats)
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
