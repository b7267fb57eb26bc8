// Browser end-to-end test of the web site in real Chromium (Debian `chromium`, driven by
// playwright-core). Ingests tests/fixtures/web/e2e-papers.jsonl into a temporary data directory,
// starts the real `paperboy serve` on a free port, then browses like a user: a day, the previous
// day, a category filter, a paper, a similar paper, search in each mode, a BibTeX download, a
// feed; checks KaTeX math (typeset after the load event, cards further down as they scroll in),
// CSP errors, dark mode, a phone viewport, keyboard focus and axe-core accessibility (no serious
// or critical violations). Writes the cold first load's timings (load event, DOMContentLoaded,
// math typeset) to $E2E_ARTIFACTS/first-load.txt; screenshots go there too. The shared start-up
// and checks are in harness.mjs.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, createHarness } from "./harness.mjs";

const { step, startServer, launch, checkAccessibility, assertNoProblems, run, waitForLog } = createHarness("");

// Navigation Timing of the page now shown, and when app.js marked the visible math typeset
// (null when it did not), in ms from the start of the navigation.
function timings(page) {
  return page.evaluate(() => {
    const e = performance.getEntriesByType("navigation")[0];
    const math = performance.getEntriesByName("paperboy-math")[0];
    return { ttfb: e.responseStart, domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd,
             math: math ? math.startTime : null };
  });
}

async function main() {
  // The fixture has 49 papers: train semantic search on them (the default waits for 200).
  const base = await startServer({ PAPERBOY_SEARCH_MIN_TRAIN_DOCS: "40", PAPERBOY_SEARCH_DIMENSION: "32",
                                   PAPERBOY_LOG_LEVEL: "info" });
  const health = await (await fetch(`${base}/healthz`)).json();
  const searchEnabled = health.search === "enabled";
  const { page } = await launch();

  await step("home page lists the newest day with rendered math", async () => {
    const t0 = Date.now();
    await page.goto(base + "/", { waitUntil: "load" });
    const wallMs = Date.now() - t0;
    // KaTeX loads after the load event: the raw LaTeX is readable until the math is typeset.
    await page.waitForSelector("html.katex-ready");
    assert.ok(await page.locator(".abstract .katex, .title .katex").count() > 0, "KaTeX rendered some math");
    const cold = await timings(page);
    assert.ok(cold.math !== null && cold.math >= cold.load, "math is typeset after the load event, not before");
    const line = `first page load: ${cold.load.toFixed(0)} ms to load event (TTFB ${cold.ttfb.toFixed(0)} ms, ` +
                 `DOMContentLoaded ${cold.domContentLoaded.toFixed(0)} ms, math typeset ${cold.math.toFixed(0)} ms; ` +
                 `${wallMs} ms wall incl. browser start-up)`;
    await page.goto(base + "/", { waitUntil: "load" });
    await page.waitForSelector("html.katex-ready");
    const warm = await timings(page);
    const both = `${line}\nsecond page load (cached assets): ${warm.load.toFixed(0)} ms to load event, ` +
                 `math typeset ${warm.math.toFixed(0)} ms`;
    console.log(both);
    writeFileSync(join(artifacts, "first-load.txt"), `${both}\n`);
    assert.ok(await page.locator("li.paper").count() >= 5);
    assert.equal(await page.title() !== "pwned", true);
    await page.screenshot({ path: join(artifacts, "home.png"), fullPage: false });
  });

  await step("math is typeset as it comes into sight; a closed abstract's when it opens", async () => {
    // KaTeX loads only when math comes within a screen of the viewport. A 100 px window shows only
    // the top of the page (header and listing controls), so no math is in sight at first.
    const katexAsked = () => page.evaluate(() => document.querySelectorAll('script[src*="katex"], link[href*="katex"]').length);
    await page.setViewportSize({ width: 1280, height: 100 });
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(() => !document.documentElement.classList.contains("math-pending"));
    const card = page.locator("#p-2606-29066");  // the fixture day's paper with math in its title
    const top = await card.evaluate((c) => c.getBoundingClientRect().top);
    assert.ok(top > 200, `the card starts below the first two windows (${top} px)`);
    assert.equal(await page.locator(".katex").count(), 0, "nothing typeset while no math is in sight");
    assert.equal(await katexAsked(), 0, "no KaTeX fetched while no math is in sight");
    await card.scrollIntoViewIfNeeded();
    await card.locator(".title .katex").first().waitFor({ state: "attached" });
    assert.ok(await katexAsked() > 0, "KaTeX fetched once math came into sight");
    // A closed abstract is typeset when it is opened.
    const first = page.locator("li.paper").first();
    await first.scrollIntoViewIfNeeded();
    assert.equal(await first.locator(".abstract .katex").count(), 0);
    await first.locator("details.more summary").click();
    await first.locator(".abstract .katex").first().waitFor({ state: "attached" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  await step("a listing without math in sight fetches no KaTeX", async () => {
    // 2026-06-17: no title has math; every abstract has, behind its closed <details>.
    const katexAsked = () => page.evaluate(() => document.querySelectorAll('script[src*="katex"], link[href*="katex"]').length);
    await page.goto(base + "/papers/date/2026-06-17", { waitUntil: "load" });
    await page.waitForFunction(() => !document.documentElement.classList.contains("math-pending"));
    assert.ok(await page.locator("li.paper").count() >= 5);
    assert.equal(await katexAsked(), 0, "no KaTeX fetched");
    const first = page.locator("li.paper").first();
    await first.locator("details.more summary").click();
    await first.locator(".abstract .katex").first().waitFor({ state: "attached" });
    assert.ok(await katexAsked() > 0, "KaTeX fetched once an abstract with math opened");
    await page.goto(base + "/", { waitUntil: "load" });
  });

  await step("keyboard: Tab reaches the skip link first", async () => {
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  });

  await step("previous day navigation (swapped in place, the back button kept)", async () => {
    const heading = await page.locator("h1").first().textContent();
    // With script the listing's own links swap the listing in without a reload: a value set on
    // the window survives them, and the URL still changes.
    await page.evaluate(() => { window.paperboyKept = true; });
    await Promise.all([page.waitForURL(/\/papers\/date\/\d{4}-\d{2}-\d{2}$/), page.click("a[rel=prev]")]);
    assert.notEqual(await page.locator("h1").first().textContent(), heading);
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), page.click("a[rel=next]")]);
    assert.equal(await page.locator("h1").first().textContent(), heading);
    assert.equal(await page.evaluate(() => window.paperboyKept), true, "no page load");
    await Promise.all([page.waitForURL(before), page.goBack()]);
    await page.waitForFunction((h) => document.querySelector("h1").textContent !== h, heading);
    await Promise.all([page.waitForURL((u) => u.href !== before), page.goForward()]);
    await page.waitForFunction((h) => document.querySelector("h1").textContent === h, heading);
    assert.equal(await page.evaluate(() => window.paperboyKept), true, "back and forward swap too");
  });

  await step("category filter", async () => {
    // Chips are links that apply at once; a card lists its categories (cross-lists too) by name,
    // with the code in data-cat.
    const chip = page.locator("nav.filters a.chip").first();
    const cat = await chip.getAttribute("data-cat");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("cat") === cat), chip.click()]);
    assert.ok(page.url().includes(`cat=${encodeURIComponent(cat)}`), page.url());
    assert.equal(await page.locator("nav.filters a.chip.on").getAttribute("data-cat"), cat);
    const cats = await page.locator("li.paper .cats").evaluateAll((spans) =>
      spans.map((s) => [...s.querySelectorAll("[data-cat]")].map((a) => a.dataset.cat)));
    assert.ok(cats.length > 0 && cats.every((c) => c.includes(cat)), `every paper is in ${cat}`);
  });

  await step("the abstract opens in place and the list view is remembered", async () => {
    const details = page.locator("li.paper details.more").first();
    assert.equal(await details.evaluate((d) => d.open), false);
    await details.locator("summary").click();
    assert.equal(await details.evaluate((d) => d.open), true);
    assert.ok((await details.locator(".abstract").innerText()).length > 20, "the abstract is shown");
    await Promise.all([page.waitForURL(/view=list/), page.click("nav.switch a[href*='view=list']")]);
    assert.equal(await page.locator(".cards.view-list").count(), 1);
    await page.goto(base + "/", { waitUntil: "load" });
    assert.equal(await page.locator(".cards.view-list").count(), 1, "the list view is remembered");
    await Promise.all([page.waitForURL(/view=grid/), page.click("nav.switch a[href*='view=grid']")]);
    assert.equal(await page.locator(".cards.view-grid").count(), 1);
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
    await page.waitForSelector("html.katex-ready");
    assert.ok(await page.locator(".paper-page .abstract .katex, .paper-page .title .katex").count() > 0,
              "the paper's math is typeset");
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
    // Training runs in the background after start: wait for the server to say it is done.
    if (searchEnabled) await waitForLog(/search: trained/);
    const ranked = {};
    for (const mode of ["lexical", "semantic", "hybrid"]) {
      // Words the semantic model knows ("model" is in most papers, so it is not in the LSA
      // vocabulary and semantic search would fall back to lexical for it).
      await page.goto(`${base}/search?q=language+agents&mode=${mode}`);
      assert.equal(await page.locator(`input[name=mode][value=${mode}]`).isChecked(), true);
      if (searchEnabled) {
        assert.ok(await page.locator("li.paper").count() > 0, mode);
        ranked[mode] = (await page.locator("li.paper .title a").evaluateAll(
          (links) => links.map((a) => a.getAttribute("href")))).join(" ");
      } else {
        assert.ok((await page.textContent("main")).includes("Search is unavailable"), mode);
      }
    }
    // Semantic search is trained on this store (search.min_train_docs is below its size), so the
    // semantic ranking is its own, not the lexical one it falls back to untrained.
    if (searchEnabled) assert.notEqual(ranked.semantic, ranked.lexical, "semantic search fell back to lexical");
    await page.screenshot({ path: join(artifacts, "search.png") });
  });

  await step("an arXiv URL typed into the search box opens the paper", async () => {
    await page.goto(`${base}/search`);
    assert.equal(await page.locator("#quick-q").count(), 0, "one search box on the search page");
    await page.fill("#q", "https://arxiv.org/abs/2607.99999v1");
    await Promise.all([page.waitForNavigation(), page.press("#q", "Enter")]);
    assert.match(page.url(), /\/papers\/2607\.99999$/);
    const missing = await page.goto(`${base}/search?q=2001.00001`);
    assert.equal(missing.status(), 404);
    assert.ok((await page.textContent("main")).includes("is not on this server"));
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

  await step("paper page: side column, link previews, favicon; screenshots at 1366x900 and 390x844", async () => {
    const id = "2606.21596";  // math in its title, a URL in its arXiv comments
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${base}/papers/${id}`);
        await page.screenshot({ path: join(artifacts, `paper-${width}-${scheme}.png`) });
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width + 1, `paper page is ${wide}px wide at ${width}`);
      const [main, side] = await Promise.all([".paper-abstract", ".paper-side"].map((s) => page.locator(s).boundingBox()));
      // Beside the abstract on wide screens, below it on phones.
      if (width > 1000) assert.ok(side.x > main.x + main.width - 1 && side.y < main.y + main.height, "side column");
      else assert.ok(side.y >= main.y + main.height - 1, "actions below the abstract");
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.doesNotMatch(await page.title(), /\$|\\/, "the tab title is plain text");
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute("content"), await page.title().then(
      (t) => t.replace(/ · Paperboy$/, "")));
    assert.ok((await page.locator('meta[property="og:description"]').getAttribute("content")).length > 50);
    assert.equal(await page.locator('meta[name="twitter:card"]').getAttribute("content"), "summary");
    const icon = await page.request.get(base + "/favicon.ico");
    assert.equal(icon.status(), 200);
    assert.match(icon.headers()["content-type"], /^image\//);
    const link = await page.locator('.paper-side a[href^="https://phi-scene"]').getAttribute("rel");
    assert.equal(link, "nofollow noopener");
  });

  await step("axe-core: no serious or critical violations on each page type", async () => {
    const paths = ["/", "/papers/2607.99999", "/search?q=model", "/trending", "/categories/cs.LG",
                   "/authors/Rahman?f=Amirul", "/subscribe"];
    await checkAccessibility(page, paths.map((path) => [base + path, path]));
  });

  assertNoProblems();
}

run("e2e", main);
