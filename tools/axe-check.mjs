// Runs axe-core in Debian's chromium over every page of a built site, in the light and
// the dark colour scheme, and fails on any violation of serious or critical impact.
//
//   node tools/axe-check.mjs PUBLIC_DIR [--pages /a/,/b/] [--contrast-without /css/x.css,…]
//                            [--skip-rules r,…] [--known /page/#rule,…]
//
// Serves PUBLIC_DIR itself on 127.0.0.1 (pages are loaded over HTTP, as a person would).
// --pages checks those pages only; --contrast-without judges the colour rules with those
// stylesheets switched off (a site's own colours, to judge the theme's alone), every
// other rule with them; --skip-rules does not run those axe rules; --known names the
// violations of the site's own content (not the theme's) that are expected, each on one
// page: they do not fail the run, but one that no longer happens does (so the list
// cannot go stale).
//
// Fast enough for every page of a real site in CI: one browser, one tab, each page loaded
// once, axe put in by the browser at each load, and the dark scheme checked on the same
// load by switching the system's scheme (the theme follows it live, as for a reader),
// running again only the rules whose outcome a scheme can change.
import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { join, extname, relative, sep } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const root = process.argv[2];
if (!root) {
  console.error("usage: node tools/axe-check.mjs PUBLIC_DIR [--pages …] [--contrast-without …] [--skip-rules …]");
  process.exit(2);
}
const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1].split(",").filter(Boolean) : [];
};
const onlyPages = option("--pages");
const contrastWithout = option("--contrast-without");
const skipRules = option("--skip-rules");
const known = new Set(option("--known"));
const seen = new Set();
// The rules a colour scheme can change the outcome of: colours, and images shown in one
// scheme only (`#only-dark`), which axe skips while hidden.
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];
const SCHEME_RULES = [...COLOUR_RULES, "image-alt", "role-img-alt", "svg-img-alt",
  "input-image-alt", "object-alt", "image-redundant-alt"];

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".png": "image/png", ".xml": "application/xml", ".txt": "text/plain" };

const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.includes("..")) { res.writeHead(404).end(); return; }
  let file = join(root, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

async function* htmlFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(p);
    else if (entry.name.endsWith(".html")) yield p;
  }
}

const pages = [];
for await (const file of htmlFiles(root)) {
  const text = await readFile(file, "utf8");
  if (text.includes('http-equiv="refresh"')) continue; // alias redirect stubs
  pages.push("/" + relative(root, file).split(sep).join("/").replace(/index\.html$/, ""));
}
pages.sort();
if (onlyPages.length) {
  const missing = onlyPages.filter((p) => !pages.includes(p));
  if (missing.length) {
    console.error(`not pages of the site: ${missing.join(", ")}`);
    process.exit(2);
  }
  pages.splice(0, pages.length, ...onlyPages);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
let checked = 0;
const started = Date.now();
try {
  const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
  // Only the site itself loads: pages that embed images from other hosts (real sites
  // do) would otherwise wait on them for the load event.
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  await context.addInitScript({ content: axeSource });
  const page = await context.newPage();
  for (const path of pages) {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(base + path, { waitUntil: "load" });
    const runs = contrastWithout.length
      ? [["light", { exclude: COLOUR_RULES }], ["light", { only: COLOUR_RULES, without: true }]]
      : [["light", {}]];
    runs.push(["dark", { only: SCHEME_RULES, without: contrastWithout.length > 0 }]);
    for (const [scheme, rules] of runs) {
      if (scheme === "dark") await page.emulateMedia({ colorScheme: "dark" });
      const violations = await page.evaluate(check, { ...rules, skip: skipRules, sheets: contrastWithout });
      for (const v of violations) {
        const id = `${path}#${v.split(":")[0].split(" ")[1]}`;
        if (known.has(id)) seen.add(id);
        else problems.push(`${scheme} ${path}: ${v}`);
      }
    }
    checked++;
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}

// In the page: axe with `only` (or all but `exclude`), the stylesheets `sheets` switched
// off when `without`; after a scheme change, once the colours' transitions have ended.
async function check({ only, exclude = [], without, skip, sheets }) {
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
    const path = new URL(link.href).pathname;
    link.disabled = Boolean(without) && sheets.some((s) => path.startsWith(s));
  }
  await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {})));
  const off = [...exclude, ...skip];
  const options = { resultTypes: ["violations"], iframes: false };
  if (only) options.runOnly = { type: "rule", values: only.filter((r) => !off.includes(r)) };
  else options.rules = Object.fromEntries(off.map((id) => [id, { enabled: false }]));
  const result = await window.axe.run(document, options);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ` + v.nodes.slice(0, 3)
      .map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\n/g, " ")).join("\n    "));
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`axe: ${checked * 2} page views checked (${pages.length} pages × light, dark) in ${seconds} s`);
for (const id of known) {
  if (!seen.has(id)) problems.push(`${id}: listed as known, but no longer happens: drop it from --known`);
}
if (seen.size) console.log(`known violations of the site's own content: ${[...seen].join(", ")}`);
if (problems.length) {
  console.log(problems.join("\n"));
  process.exit(1);
}
