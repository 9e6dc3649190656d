"""Validates each example of an OpenAPI webhooks document against its
webhook's request schema, unchanged, with Python's jsonschema (Draft 2020-12,
formats checked), and prints {"<webhook> <example key>": true|false}.
Usage: python3 check.py DOCUMENT"""
import json
import sys

import jsonschema

with open(sys.argv[1]) as f:
    doc = json.load(f)
verdicts = {}
for name, hook in doc["webhooks"].items():
    media = hook["post"]["requestBody"]["content"]["application/json"]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": media["schema"]["$ref"], "components": doc["components"]}
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for key, example in sorted(media.get("examples", {}).items()):
        value = doc["components"]["examples"][example["$ref"].split("/")[-1]]["value"]
        verdicts[name + " " + key] = validator.is_valid(value)
print(json.dumps(verdicts))
