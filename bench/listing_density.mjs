// Listing density: how many paper cards a reader sees without scrolling, in both layouts, on a
// laptop (1366×900) and a phone (390×844), with the page height and whether the page scrolls
// sideways. A card counts as above the fold when its vote row (the card's last line in the grid,
// with title, authors and chips above it) is inside the viewport. Uses Debian's chromium through
// playwright-core (as tests/e2e/harness.mjs does).
//
//   node bench/listing_density.mjs http://127.0.0.1:8080/ [--screenshots DIR]
//
// With --screenshots, saves <viewport>-<view>-<light|dark>.png for each combination.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith("--"));
const shotsAt = args.indexOf("--screenshots");
const shots = shotsAt >= 0 ? args[shotsAt + 1] : null;
if (!url) {
  console.error("usage: node bench/listing_density.mjs URL [--screenshots DIR]");
  process.exit(2);
}
if (shots) mkdirSync(shots, { recursive: true });

function withView(u, view) {
  const parsed = new URL(u);
  parsed.searchParams.set("view", view);
  return parsed.toString();
}

const viewports = [{ name: "1366x900", width: 1366, height: 900 }, { name: "390x844", width: 390, height: 844 }];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const rows = [];
try {
  for (const vp of viewports) {
    for (const view of ["grid", "list"]) {
      for (const scheme of shots ? ["light", "dark"] : ["light"]) {
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height },
                                                   colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(withView(url, view), { waitUntil: "load" });
        await page.waitForFunction(() => !document.documentElement.classList.contains("math-pending"),
                                   null, { timeout: 10000 }).catch(() => {});
        const m = await page.evaluate(() => {
          const fold = window.innerHeight;
          const cards = [...document.querySelectorAll("li.paper")];
          const full = cards.filter((c) => {
            const meta = c.querySelector(".meta") || c;
            const r = meta.getBoundingClientRect();
            return r.bottom <= fold && r.top >= 0;
          }).length;
          const started = cards.filter((c) => c.getBoundingClientRect().top < fold).length;
          const first = cards[0] ? cards[0].getBoundingClientRect() : null;
          const doc = document.documentElement;
          return { cards: cards.length, full, started, height: doc.scrollHeight,
                   firstCardTop: first ? Math.round(first.top) : null,
                   cardHeight: first ? Math.round(first.height) : null,
                   hscroll: doc.scrollWidth > doc.clientWidth };
        });
        if (scheme === "light") rows.push({ viewport: vp.name, view, ...m });
        if (shots) await page.screenshot({ path: join(shots, `${vp.name}-${view}-${scheme}.png`) });
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log("viewport  view  cards-above-fold  partly-visible  first-card-top  card-height  page-height  horizontal-scroll");
for (const r of rows) {
  console.log(`${r.viewport.padEnd(9)} ${r.view.padEnd(5)} ${String(r.full).padStart(16)} ${String(r.started).padStart(15)} ` +
              `${String(r.firstCardTop).padStart(15)} ${String(r.cardHeight).padStart(12)} ${String(r.height).padStart(12)} ` +
              `${r.hscroll ? "yes" : "no"}`);
}
