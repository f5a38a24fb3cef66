// Validate an AsyncAPI document with the official parser (@asyncapi/parser): exit 0 when it parses
// with no error-level diagnostic, 1 otherwise (each diagnostic on stderr), 2 on a usage error.
//   node deploy/asyncapi/validate.mjs schemas/asyncapi.yaml
import { readFile } from "node:fs/promises";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";

const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length) {
  console.error("usage: node validate.mjs ASYNCAPI_FILE");
  process.exit(2);
}

const { document, diagnostics } = await new Parser().parse(await readFile(file, "utf8"), { source: file });
const severity = (d) => DiagnosticSeverity[d.severity].toLowerCase();
for (const d of diagnostics) {
  console.error(`${severity(d)} ${d.code} at ${d.path.join(".") || "(root)"}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
if (document === undefined || errors.length > 0) {
  console.error(`${file}: not a valid AsyncAPI document (${errors.length} errors)`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}: ` +
            `${document.channels().length} channels, ${document.operations().length} operations, ` +
            `${document.servers().length} servers`);
