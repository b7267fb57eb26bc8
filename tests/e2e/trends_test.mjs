// Browser end-to-end test of trends (issue 19 item 4) in real Chromium (Debian `chromium`, driven
// by playwright-core): the search page shows the query's papers per week as inline SVG with a
// caption and the numbers in a table behind a disclosure; the header's "Topics" link opens the
// rising topics page. axe-core on both pages (no serious or critical violations), light and dark,
// at 1366x900 and 390x844, without horizontal scrolling. Screenshots go to $E2E_ARTIFACTS.
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, createHarness } from "./harness.mjs";

const { step, startServer, launch, checkAccessibility, assertNoProblems, run } = createHarness("trends");
const query = "language models";

async function main() {
  const base = await startServer();
  const { page } = await launch();
  const searchUrl = `${base}/search?q=${encodeURIComponent(query)}`;

  await step("the ranking index answers trends (503 until it is built, right after start)", async () => {
    let status = 0;
    for (let i = 0; i < 5000 && status !== 200; i++) {
      const r = await fetch(`${base}/api/trends?q=${encodeURIComponent(query)}&weeks=4`);
      status = r.status;
      if (status === 200) {
        const body = await r.json();
        assert.equal(body.weeks.length, 4);
        assert.ok(body.papers > 0, "the fixture has papers about language models");
      } else {
        assert.equal(status, 503, await r.text());
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    assert.equal(status, 200);
  });

  await step("the search page charts papers per week, with the table behind it", async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(searchUrl);
    const chart = page.locator("figure.trend svg.trend-chart");
    assert.ok(await chart.isVisible(), "chart visible");
    assert.equal(await chart.getAttribute("role"), "img");
    assert.match(await page.locator("figure.trend figcaption").innerText(), /Papers per week/);
    assert.equal(await page.locator("figure.trend path.bars").count(), 1);
    const table = page.locator("details.trend-table table");
    assert.ok(!(await table.isVisible()), "the table waits behind its disclosure");
    await page.locator("details.trend-table summary").click();
    assert.ok(await table.isVisible());
    const counts = await table.locator("tbody tr td:nth-child(3)").allInnerTexts();
    assert.equal(counts.length, 52);
    assert.ok(counts.map(Number).reduce((a, b) => a + b, 0) > 0);
    await page.screenshot({ path: join(artifacts, "trends-search-1366.png"), fullPage: true });
  });

  await step("the header's Topics link opens the rising topics", async () => {
    await Promise.all([page.waitForURL(`${base}/trends`), page.locator("header nav a[href='/trends']").click()]);
    assert.equal(await page.locator("h1").innerText(), "Rising topics");
    assert.equal(await page.locator("header nav a[href='/trends']").getAttribute("aria-current"), "page");
  });

  await step("axe-core: search with chart and topics, light and dark, desktop and phone", async () => {
    const urls = [[searchUrl, "search-chart"], [`${base}/trends`, "topics"]];
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await checkAccessibility(page, urls.map(([url, label]) => [url, `${label} ${width}x${height}`]));
      for (const [url, label] of urls) {
        for (const scheme of ["light", "dark"]) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(url);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${label} at ${width}px: no horizontal scrolling (${overflow}px)`);
          await page.screenshot({ path: join(artifacts, `trends-${label}-${width}-${scheme}.png`) });
        }
      }
      await page.emulateMedia({ colorScheme: "light" });
    }
  });

  assertNoProblems();
}

run("e2e trends", main);
