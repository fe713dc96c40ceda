// Runs axe-core in Debian's chromium over every page of a built site, in the light and
// the dark colour scheme, and fails on any violation of serious or critical impact.
//
//   node tools/axe-check.mjs PUBLIC_DIR [--pages /a/,/b/] [--block /css/x.css,…] [--skip-rules r,…]
//
// Serves PUBLIC_DIR itself on 127.0.0.1 (pages are loaded over HTTP, as a person would).
// --pages checks those pages only (a sample of a large site); --block leaves those files
// out (a site's own stylesheets, to judge the theme's colours alone); --skip-rules does
// not run those axe rules.
import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { join, extname, relative, sep } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const root = process.argv[2];
if (!root) {
  console.error("usage: node tools/axe-check.mjs PUBLIC_DIR [--pages …] [--block …] [--skip-rules …]");
  process.exit(2);
}
const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1].split(",").filter(Boolean) : [];
};
const onlyPages = option("--pages");
const blocked = option("--block");
const skipRules = option("--skip-rules");

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
try {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    // Only the site itself loads: pages that embed images from other hosts (real sites
    // do) would otherwise wait on them for the load event.
    await context.route(
      (url) => !url.href.startsWith(base) || blocked.some((b) => url.pathname.startsWith(b)),
      (route) => route.abort());
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(base + path, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async (skip) =>
        await window.axe.run(document, {
          resultTypes: ["violations"],
          rules: Object.fromEntries(skip.map((id) => [id, { enabled: false }])),
        }), skipRules);
      checked++;
      for (const v of result.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        problems.push(`${colorScheme} ${path}: ${v.impact} ${v.id}: ${v.help}\n    ` +
          v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\n/g, " ")).join("\n    "));
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`axe: ${checked} page views checked (${pages.length} pages × light, dark)`);
if (problems.length) {
  console.log(problems.join("\n"));
  process.exit(1);
}
