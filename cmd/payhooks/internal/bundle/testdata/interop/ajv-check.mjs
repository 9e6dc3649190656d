// Validates payloads against an exported payhooks bundle with ajv (JSON
// Schema 2020-12, strict mode, formats asserted by ajv-formats) and prints
// one verdict per case as JSON. Both flavours of every schema are compiled.
// Usage: node ajv-check.mjs BUNDLE_DIR CASES_JSON
// CASES_JSON: [{"payload": "/abs/file.json", "schema": "finmo/events/X.json"}]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [bundle, casesFile] = process.argv.slice(2);
const index = JSON.parse(readFileSync(join(bundle, "index.json"), "utf8"));
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
ajv.addVocabulary(index.extensions);

const compiled = new Map();
for (const p of index.providers) {
  const files = p.events.flatMap((e) => [e.schema, e.strict_schema]);
  if (p.envelope) files.push(p.envelope, p.strict_envelope);
  for (const f of files) {
    compiled.set(f, ajv.compile(JSON.parse(readFileSync(join(bundle, f), "utf8"))));
  }
}
const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const out = cases.map((c) => {
  const validate = compiled.get(c.schema);
  if (!validate) throw new Error(`no compiled schema ${c.schema}`);
  const ok = validate(JSON.parse(readFileSync(c.payload, "utf8")));
  return { payload: c.payload, valid: ok, errors: ok ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`) };
});
console.log(JSON.stringify({ compiled: compiled.size, results: out }));
