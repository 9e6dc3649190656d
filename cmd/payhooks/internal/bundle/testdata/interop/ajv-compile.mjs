// Compiles every JSON Schema file of an exported payhooks bundle with ajv in
// its default options (strict mode: unknown keywords refused), with
// ajv-formats and the keywords index.json lists (none for a bundle exported
// with -strip-extensions), and prints {"compiled": N, "extensions": [...]}.
// Usage: node ajv-compile.mjs BUNDLE_DIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [bundle] = process.argv.slice(2);
const index = JSON.parse(readFileSync(join(bundle, "index.json"), "utf8"));
let compiled = 0;
for (const p of index.providers) {
  const files = p.events.flatMap((e) => [e.schema, e.strict_schema]);
  if (p.envelope) files.push(p.envelope, p.strict_envelope);
  for (const f of files) {
    const ajv = new Ajv2020({ logger: false });
    addFormats(ajv);
    if (index.extensions.length > 0) ajv.addVocabulary(index.extensions);
    try {
      ajv.compile(JSON.parse(readFileSync(join(bundle, f), "utf8")));
    } catch (e) {
      throw new Error(`${f}: ${e.message}`);
    }
    compiled++;
  }
}
console.log(JSON.stringify({ compiled, extensions: index.extensions }));
