// Browser end-to-end test of the web site in real Chromium (Debian `chromium`, driven by
// playwright-core). Ingests tests/fixtures/web/e2e-papers.jsonl into a temporary data directory,
// starts the real `paperboy serve` on a free port, then browses like a user: a day, the previous
// day, a category filter, a paper, a similar paper, search in each mode, a BibTeX download, a
// feed; checks KaTeX math, CSP errors, dark mode, a phone viewport, keyboard focus and axe-core
// accessibility (no serious or critical violations). Screenshots go to $E2E_ARTIFACTS.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const source = process.env.PAPERBOY_SOURCE_DIR;
const binary = process.env.PAPERBOY_BINARY;
const artifacts = process.env.E2E_ARTIFACTS || join(tmpdir(), "paperboy-e2e-artifacts");
assert.ok(source && binary, "PAPERBOY_SOURCE_DIR and PAPERBOY_BINARY must be set (ctest sets them)");
const require = createRequire(join(source, "package.json"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
mkdirSync(artifacts, { recursive: true });

const dataDir = mkdtempSync(join(tmpdir(), "paperboy-e2e-"));
const userDataDir = mkdtempSync(join(tmpdir(), "paperboy-e2e-chromium-"));
let server;
let browser;
const results = [];

function step(name, fn) {
  return fn().then(() => { results.push(`ok   ${name}`); console.log(`ok   ${name}`); });
}

async function startServer() {
  const seed = spawnSync(binary, ["--data-dir", dataDir, "ingest", "--strict",
                                  join(source, "tests/fixtures/web/e2e-papers.jsonl")],
                         { encoding: "utf8" });
  assert.equal(seed.status, 0, `seeding the store failed: ${seed.stderr}`);
  server = spawn(binary, ["--data-dir", dataDir, "serve", "--port", "0", "--threads", "16"],
                 { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  server.stderr.on("data", (d) => { stderr += d; });
  return await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30000);
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

async function main() {
  const base = await startServer();
  const health = await (await fetch(`${base}/healthz`)).json();
  const searchEnabled = health.search === "enabled";
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = browser.pages()[0] || await browser.newPage();
  const problems = [];
  // Document statuses are asserted by the steps (the search page is a 503 without search);
  // any failing subresource (script, stylesheet, font) or console error is a problem.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });

  await step("home page lists the newest day with rendered math", async () => {
    const t0 = Date.now();
    await page.goto(base + "/", { waitUntil: "load" });
    const wallMs = Date.now() - t0;
    // Navigation Timing: from the request to the load event, as the browser measured it.
    const nav = await page.evaluate(() => {
      const e = performance.getEntriesByType("navigation")[0];
      return { ttfb: e.responseStart, domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd };
    });
    const line = `first page load: ${nav.load.toFixed(0)} ms to load event (TTFB ${nav.ttfb.toFixed(0)} ms, ` +
                 `DOMContentLoaded ${nav.domContentLoaded.toFixed(0)} ms; ${wallMs} ms wall incl. browser start-up)`;
    await page.goto(base + "/", { waitUntil: "load" });
    const warm = await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd);
    const both = `${line}\nsecond page load (cached assets): ${warm.toFixed(0)} ms to load event`;
    console.log(both);
    writeFileSync(join(artifacts, "first-load.txt"), `${both}\n`);
    assert.ok(await page.locator("li.paper").count() >= 5);
    await page.waitForSelector("html.katex-ready");
    assert.ok(await page.locator(".abstract .katex, .title .katex").count() > 0, "KaTeX rendered some math");
    assert.equal(await page.title() !== "pwned", true);
    await page.screenshot({ path: join(artifacts, "home.png"), fullPage: false });
  });

  await step("keyboard: Tab reaches the skip link first", async () => {
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  });

  await step("previous day navigation", async () => {
    const heading = await page.locator("h1").first().textContent();
    await page.click("a[rel=prev]");
    await page.waitForLoadState("load");
    assert.match(page.url(), /\/papers\/date\/\d{4}-\d{2}-\d{2}$/);
    assert.notEqual(await page.locator("h1").first().textContent(), heading);
    await page.click("a[rel=next]");
    assert.equal(await page.locator("h1").first().textContent(), heading);
  });

  await step("category filter", async () => {
    const box = page.locator(".filters input[name=cat]").first();
    const cat = await box.getAttribute("value");
    await box.check();
    await Promise.all([page.waitForNavigation(), page.click(".filters button[type=submit]")]);
    assert.ok(page.url().includes(`cat=${encodeURIComponent(cat)}`), page.url());
    const cats = await page.locator("li.paper .cats").allTextContents();
    assert.ok(cats.length > 0 && cats.every((c) => c.includes(cat)), `every paper is in ${cat}`);
  });

  await step("hostile paper renders harmlessly", async () => {
    await page.goto(base + "/papers/2607.99999");
    assert.notEqual(await page.title(), "pwned");
    assert.ok((await page.locator("h1.title").textContent()).includes("<script>"));
    assert.equal(await page.locator("main img").count(), 0);
  });

  await step("paper page: citation meta tags, abstract math, BibTeX download", async () => {
    await page.goto(base + "/");
    await Promise.all([page.waitForNavigation(), page.locator("li.paper .title a").first().click()]);
    assert.match(page.url(), /\/papers\/\d{4}\.\d{4,5}$/);
    assert.ok(await page.locator('meta[name="citation_title"]').count() === 1);
    assert.ok(await page.locator('meta[name="citation_author"]').count() >= 1);
    assert.ok(await page.locator('meta[name="citation_pdf_url"]').count() === 1);
    await page.screenshot({ path: join(artifacts, "paper.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a.button[download]")]);
    const file = await download.path();
    const bib = readFileSync(file, "utf8");
    assert.match(bib, /^@misc\{arxiv:/);
    assert.match(download.suggestedFilename(), /\.bib$/);
  });

  await step("similar papers", async () => {
    if (searchEnabled) {
      const first = page.locator("article h2 + ol.papers li.paper .title a, ol.papers li.paper .title a").first();
      await Promise.all([page.waitForNavigation(), first.click()]);
      assert.match(page.url(), /\/papers\//);
    } else {
      assert.ok((await page.textContent("main")).includes("Similar papers need the search index"));
    }
  });

  await step("search in each mode", async () => {
    for (const mode of ["lexical", "semantic", "hybrid"]) {
      await page.goto(`${base}/search?q=model&mode=${mode}`);
      assert.equal(await page.locator(`input[name=mode][value=${mode}]`).isChecked(), true);
      if (searchEnabled) assert.ok(await page.locator("li.paper").count() > 0, mode);
      else assert.ok((await page.textContent("main")).includes("Search is unavailable"), mode);
    }
    await page.screenshot({ path: join(artifacts, "search.png") });
  });

  await step("feeds are well-formed XML", async () => {
    for (const path of ["/feeds/daily.atom", "/feeds/daily.rss", "/feeds/category/cs.LG.atom"]) {
      const xml = await (await page.request.get(base + path)).text();
      const ok = await page.evaluate((x) => {
        const d = new DOMParser().parseFromString(x, "application/xml");
        return d.getElementsByTagName("parsererror").length === 0 &&
               d.querySelectorAll("entry, item").length > 0;
      }, xml);
      assert.ok(ok, path);
    }
  });

  await step("dark mode follows the system", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(base + "/");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background, got ${bg}`);
    await page.screenshot({ path: join(artifacts, "home-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
  });

  await step("phone viewport has no horizontal scrolling", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ["/", "/papers/2607.99999"]) {
      await page.goto(base + path);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 376, `${path}: page is ${wide}px wide`);
    }
    await page.screenshot({ path: join(artifacts, "home-phone.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step("axe-core: no serious or critical violations on each page type", async () => {
    // axe is injected as a script, which the site's CSP rightly forbids: use a CSP-bypassing page.
    const paths = ["/", "/papers/2607.99999", "/search?q=model", "/trending", "/categories/cs.LG",
                   "/authors/Rahman?f=Amirul", "/subscribe"];
    const axeSource = readFileSync(axePath, "utf8");
    const cdp = await browser.newCDPSession(page);
    await cdp.send("Page.setBypassCSP", { enabled: true });
    for (const path of paths) {
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(base + path);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ["violations"] });
          return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        assert.deepEqual(violations, [], `${path} (${scheme})`);
      }
    }
    await cdp.send("Page.setBypassCSP", { enabled: false });
  });

  // Problems collected while axe ran with CSP bypassed are still real; report all.
  assert.deepEqual(problems, [], "no console errors or CSP violations");
}

main().then(() => {
  console.log(`e2e: ${results.length} steps passed; screenshots in ${artifacts}`);
}, (err) => {
  console.error(results.join("\n"));
  console.error(err);
  process.exitCode = 1;
}).finally(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
});
