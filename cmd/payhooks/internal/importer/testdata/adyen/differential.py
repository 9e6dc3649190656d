"""Validates payloads against the request schema of an OpenAPI webhooks
document, unchanged, with Python's jsonschema (Draft 2020-12, formats
checked, date-time by the standard library as Debian ships no RFC 3339
validator), and prints one verdict per case: [true|false, ...].
Usage: python3 differential.py DOCUMENT CASES_JSON
CASES_JSON: [{"webhook": "<name>", "payload": <the payload>}]"""
import datetime
import json
import re
import sys

import jsonschema

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

with open(sys.argv[1]) as f:
    doc = json.load(f)
with open(sys.argv[2]) as f:
    cases = json.load(f)
validators = {}
verdicts = []
for c in cases:
    name = c["webhook"]
    if name not in validators:
        media = doc["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": media["schema"]["$ref"], "components": doc["components"]}
        validators[name] = jsonschema.Draft202012Validator(schema, format_checker=formats)
    verdicts.append(validators[name].is_valid(c["payload"]))
print(json.dumps(verdicts))
