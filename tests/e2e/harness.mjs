// What the browser end-to-end tests share: the environment ctest sets, a temporary data directory
// seeded with tests/fixtures/web/e2e-papers.jsonl, the real `paperboy serve` on a free port,
// Debian's chromium through playwright-core, collection of console errors and failed
// subresources, axe-core checks, step reporting and clean-up. Each test keeps its own steps.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

export const source = process.env.PAPERBOY_SOURCE_DIR;
export const binary = process.env.PAPERBOY_BINARY;
export const artifacts = process.env.E2E_ARTIFACTS || join(tmpdir(), "paperboy-e2e-artifacts");
assert.ok(source && binary, "PAPERBOY_SOURCE_DIR and PAPERBOY_BINARY must be set (ctest sets them)");
const require = createRequire(join(source, "package.json"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
mkdirSync(artifacts, { recursive: true });

// Waits until app.js has finished typesetting the math near the viewport (or has given up): it
// loads KaTeX after the load event, so a page that Playwright calls loaded may still change.
async function mathSettled(page) {
  await page.waitForFunction(() => !document.documentElement.classList.contains("math-pending"));
}

// `name` tells the temporary directories apart ("" for the main browser test).
export function createHarness(name) {
  const prefix = name ? `paperboy-e2e-${name}-` : "paperboy-e2e-";
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const userDataDir = mkdtempSync(join(tmpdir(), `${prefix}chromium-`));
  const results = [];
  const problems = [];
  const cleanups = [];
  let server;
  let serverErr = "";
  const serverStderr = () => serverErr.slice(-4000);
  let browser;

  function step(title, fn) {
    return fn().then(() => { results.push(`ok   ${title}`); console.log(`ok   ${title}`); });
  }

  // Seeds the store, starts `paperboy serve` (with `env` added to this process's environment)
  // and resolves to its base URL, e.g. http://127.0.0.1:41234.
  async function startServer(env = {}) {
    const seed = spawnSync(binary, ["--data-dir", dataDir, "ingest", "--strict",
                                    join(source, "tests/fixtures/web/e2e-papers.jsonl")], { encoding: "utf8" });
    assert.equal(seed.status, 0, `seeding the store failed: ${seed.stderr}`);
    server = spawn(binary, ["--data-dir", dataDir, "serve", "--port", "0", "--threads", "16"],
                   { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    serverErr = "";
    server.stderr.on("data", (d) => { serverErr += d; });
    const stderr = { toString: serverStderr };
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

  // A fresh profile (so the first page load has a cold cache) and its first page, watched: any
  // console error, failing subresource (script, stylesheet, font), page error or dialog is a
  // problem. Document statuses are the steps' business (the search page is a 503 without search).
  async function launch() {
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = browser.pages()[0] || await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== "document") problems.push(`${r.status()} ${r.url()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });
    return { browser, page };
  }

  // No serious or critical axe-core violations on each URL, light and dark; `urls` holds URLs or
  // [url, label] pairs. Ends in the light scheme.
  async function checkAccessibility(page, urls) {
    const cdp = await browser.newCDPSession(page);
    // axe is injected as a script, which the site's CSP rightly forbids: bypass it for these loads.
    await cdp.send("Page.setBypassCSP", { enabled: true });
    for (const entry of urls) {
      const [url, label] = Array.isArray(entry) ? entry : [entry, entry];
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url);
        await mathSettled(page);  // the page as the reader sees it, not half typeset
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ["violations"] });
          return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        assert.deepEqual(violations, [], `${label} (${scheme})`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await cdp.send("Page.setBypassCSP", { enabled: false });
    await cdp.detach();
  }

  // Problems collected while axe ran with CSP bypassed are still real; report all.
  function assertNoProblems() {
    assert.deepEqual(problems, [], "no console errors, failed subresources or CSP violations");
  }

  // Runs `main`, reports the steps (all passed, or those before the failure and the error) and
  // always stops the browser and server and removes the temporary directories.
  function run(label, main) {
    return main().then(() => {
      console.log(`${label}: ${results.length} steps passed; screenshots in ${artifacts}`);
    }, (err) => {
      console.error(results.join("\n"));
      console.error(err);
      process.exitCode = 1;
    }).finally(async () => {
      if (browser) await browser.close().catch(() => {});
      if (server) {
        // The server must stop cleanly: a non-zero exit (a crash, or a sanitizer report, which
        // exits 1) fails the run.
        const exited = server.exitCode !== null || server.signalCode !== null
          ? Promise.resolve([server.exitCode, server.signalCode])
          : new Promise((resolve) => server.once("exit", (code, signal) => resolve([code, signal])));
        server.kill("SIGTERM");
        const [code, signal] = await exited;
        if (code !== 0) {
          console.error(`server exited with ${code === null ? `signal ${signal}` : `status ${code}`}: ${serverStderr()}`);
          process.exitCode = 1;
        }
      }
      for (const fn of cleanups) fn();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(userDataDir, { recursive: true, force: true });
    });
  }

  return {
    dataDir, step, startServer, launch, checkAccessibility, assertNoProblems, run,
    // Resolves once the server's log (stderr) matches `pattern`; rejects after `ms`.
    waitForLog: async (pattern, ms = 60000) => {
      const end = Date.now() + ms;
      while (!pattern.test(serverErr)) {
        if (Date.now() > end) throw new Error(`server log never matched ${pattern}: ${serverStderr()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    onCleanup: (fn) => cleanups.push(fn),
  };
}
