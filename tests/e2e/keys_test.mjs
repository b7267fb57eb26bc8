// Browser end-to-end test of the keyboard shortcuts and the in-place listing filters in real
// Chromium (Debian `chromium`, driven by playwright-core): "/" focuses search, j/k move between
// cards, u upvotes and s saves the current card (a logged-out reader is sent to log in, told why),
// "?" lists the keys in a dialog; no key fires while typing in a field. Category chips swap the
// listing in without a reload and the back button restores it; the search page's filters apply
// as soon as they change. axe-core on the listing with the dialog open. Screenshots go to
// $E2E_ARTIFACTS.
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, createHarness } from "./harness.mjs";

const { step, startServer, launch, assertNoProblems, run } = createHarness("keys");

async function main() {
  const base = await startServer();
  const { page } = await launch();
  const current = () => page.evaluate(() => {
    const cards = [...document.querySelectorAll("li.paper")];
    return cards.findIndex((c) => c.classList.contains("kb-current"));
  });
  const focusedTitle = () => page.evaluate(() => document.activeElement.closest(".title") !== null);

  await step("j and k move between cards, focusing each title", async () => {
    await page.goto(base + "/");
    assert.equal(await current(), -1);
    await page.keyboard.press("j");
    assert.equal(await current(), 0);
    assert.ok(await focusedTitle(), "the first card's title link has focus");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    assert.equal(await current(), 2);
    await page.keyboard.press("k");
    assert.equal(await current(), 1);
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    assert.equal(await current(), 0, "k stops at the first card");
    const count = await page.locator("li.paper").count();
    for (let i = 0; i < count + 2; i++) await page.keyboard.press("j");
    assert.equal(await current(), count - 1, "j stops at the last card");
    assert.ok(await page.locator("li.paper.kb-current").isVisible(), "the current card is scrolled into view");
  });

  await step("/ focuses the search box; keys typed there are text", async () => {
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "quick-q");
    await page.keyboard.type("jk?u");
    assert.equal(await page.inputValue("#quick-q"), "jk?u");
    assert.equal(await page.locator("dialog#keys-help[open]").count(), 0);
    await page.fill("#quick-q", "");
  });

  await step("? lists the keys in a dialog that Escape closes", async () => {
    await page.locator("li.paper .title a").first().focus();
    await page.keyboard.press("?");
    const dialog = page.locator("dialog#keys-help");
    await dialog.waitFor({ state: "visible" });
    assert.equal(await dialog.getByRole("heading").textContent(), "Keyboard shortcuts");
    const keys = await dialog.locator("kbd").allTextContents();
    assert.deepEqual(keys, ["/", "j", "k", "u", "s", "?"]);
    await page.screenshot({ path: join(artifacts, "keys-help.png") });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.ok(await page.locator(".keys-hint").isVisible(), "the footer tells that ? lists the keys");
  });

  await step("u while logged out asks to log in to upvote and comes back", async () => {
    await page.keyboard.press("j");
    await Promise.all([page.waitForURL(/\/login\?/), page.keyboard.press("u")]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("why"), "upvote");
    assert.equal(url.searchParams.get("next"), "/");
  });

  await step("u upvotes and s saves the current card once logged in", async () => {
    await page.goto(base + "/signup");
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill("grace@example.org");
    await page.getByLabel(/^Password/).fill("correct horse battery staple");
    await Promise.all([page.waitForURL(base + "/"), page.getByRole("button", { name: "Create account" }).click()]);
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    const card = page.locator("li.paper").nth(1);
    const votes = Number(await card.locator(".votes").textContent());
    await page.keyboard.press("u");
    await page.waitForFunction(() =>
      document.querySelectorAll("li.paper")[1].querySelector("button.vote").getAttribute("aria-pressed") === "true");
    assert.equal(Number(await card.locator(".votes").textContent()), votes + 1);
    assert.equal(await page.locator("li.paper").first().locator("button.vote").getAttribute("aria-pressed"), "false",
                 "only the current card is upvoted");
    await page.keyboard.press("s");
    await page.waitForFunction(() =>
      document.querySelectorAll("li.paper")[1].querySelector("button.save-toggle").getAttribute("aria-pressed") === "true");
    const id = await card.locator("button.vote").getAttribute("data-paper");
    const saved = await page.evaluate(async () => (await fetch("/api/collections/saved", { credentials: "same-origin" })).json());
    assert.ok(JSON.stringify(saved).includes(id), `the Saved collection holds ${id}`);
  });

  await step("a category chip swaps the listing in place; back restores it", async () => {
    await page.goto(base + "/");
    const all = await page.locator("li.paper").count();
    await page.evaluate(() => { window.paperboyKept = true; });
    const chip = page.locator("nav.filters a.chip").nth(1);
    const cat = await chip.getAttribute("data-cat");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("cat") === cat), chip.click()]);
    assert.equal(await page.locator("nav.filters a.chip.on").getAttribute("data-cat"), cat);
    const cats = await page.locator("li.paper .cats").evaluateAll((spans) =>
      spans.map((s) => [...s.querySelectorAll("[data-cat]")].map((a) => a.dataset.cat)));
    assert.ok(cats.length > 0 && cats.length < all && cats.every((c) => c.includes(cat)), `only ${cat}: ${cats.length}`);
    assert.equal(await page.evaluate(() => window.paperboyKept), true, "no page load");
    await page.keyboard.press("j");
    assert.equal(await current(), 0, "the keys work on the swapped-in cards");
    await Promise.all([page.waitForURL(base + "/"), page.goBack()]);
    await page.waitForFunction((n) => document.querySelectorAll("li.paper").length === n, all);
    assert.equal(await page.locator("nav.filters a.chip.on").count(), 0);
    assert.equal(await page.evaluate(() => window.paperboyKept), true, "back swaps too");
    await page.screenshot({ path: join(artifacts, "keys-listing.png") });
  });

  await step("the search page's filters apply as they change", async () => {
    await page.goto(base + "/search?q=learning");
    await Promise.all([page.waitForURL(/[?&]sort=newest/), page.getByLabel("Sort").selectOption("newest")]);
    assert.equal(await page.getByLabel("Sort").inputValue(), "newest");
    assert.equal(await page.inputValue("#q"), "learning");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "q", "/ focuses the page's own box");
  });

  assertNoProblems();
}

run("e2e keys", main);
