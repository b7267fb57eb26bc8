// Browser end-to-end test of the community features in real Chromium (Debian `chromium`, driven
// by playwright-core): signs up, logs out and in again, upvotes a paper (the count goes up and
// stays after a reload), submits a paper by arXiv id through the listing's form against a fake
// arXiv API started here on loopback (serving the real Atom fixture tests/fixtures/arxiv-api/),
// finds it in today's listing, then a curator (made with `paperboy user set-role`) hides a paper
// and it leaves the listing. axe-core checks the new pages (no serious or critical violations).
// Screenshots go to $E2E_ARTIFACTS.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, binary, createHarness, source } from "./harness.mjs";

const { dataDir, step, startServer, launch, checkAccessibility, assertNoProblems, run, onCleanup } =
  createHarness("community");
const password = "correct horse battery staple";
const today = new Date().toISOString().slice(0, 10);  // the server's listing day is UTC too
let arxiv;
const arxivRequests = [];

// arXiv's query API as the server calls it: the fixture for an id that has one, otherwise a feed
// without entries (what arXiv answers for an id it does not know).
function startFakeArxiv() {
  arxiv = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const id = url.searchParams.get("id_list") || "";
    arxivRequests.push(id);
    const fixture = join(source, "tests/fixtures/arxiv-api", `${id}.atom`);
    res.setHeader("Content-Type", "application/atom+xml; charset=utf-8");
    if (url.pathname === "/api/query" && /^[0-9.]+$/.test(id) && existsSync(fixture)) {
      res.end(readFileSync(fixture));
    } else {
      res.end('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>');
    }
  });
  return new Promise((resolve) => arxiv.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${arxiv.address().port}/api/query`)));
}

// The fixture paper is from February 2026: a wide window accepts it whatever day the test runs.
function serverEnv(apiUrl) {
  return { PAPERBOY_HARVEST_API_URL: apiUrl, PAPERBOY_HARVEST_MIN_INTERVAL_S: "0",
           PAPERBOY_COMMUNITY_SUBMIT_MAX_AGE_DAYS: "36500", PAPERBOY_COMMUNITY_PASSWORD_HASH: "minimum" };
}

// No serious or critical axe-core violations on the page as it is now, light and dark.
function checkPage(page, label) {
  // A same-document navigation would keep the old CSP: reload the page without its fragment.
  return checkAccessibility(page, [[page.url().split("#")[0], label]]);
}

async function logIn(page, base, email) {
  await page.goto(base + "/login");
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL(base + "/"), page.click("form button[type=submit]")]);
}

async function logOut(page) {
  await Promise.all([page.waitForLoadState("load"), page.click("nav.account button[type=submit]")]);
  await page.waitForSelector("nav.account a[href='/login']");
}

async function main() {
  const apiUrl = await startFakeArxiv();
  onCleanup(() => arxiv.close());
  const base = await startServer(serverEnv(apiUrl));
  const { page } = await launch();

  await step("a logged-out upvote says why, and signing up returns to the paper", async () => {
    await page.goto(base + "/");
    const href = await page.locator("li.paper .title a").first().getAttribute("href");
    await page.goto(base + href);
    await Promise.all([page.waitForURL(/\/login\?next=.*why=upvote/), page.click(".paper-actions button.vote")]);
    assert.ok((await page.textContent("main")).includes("Log in to upvote"));
    await checkPage(page, "/login?why=upvote");
    await Promise.all([page.waitForURL(/\/signup\?next=/), page.click("text=No account? Sign up")]);
    await page.fill("input[name=name]", "Eve Reader");
    await page.fill("input[name=email]", "eve@example.org");
    await page.fill("input[name=password]", password);
    await Promise.all([page.waitForURL(base + href), page.click("form button[type=submit]")]);
    assert.equal((await page.locator("nav.account .viewer-name").textContent()).trim(), "Eve Reader");
    await logOut(page);
  });

  await step("sign up, log out, log in", async () => {
    await page.goto(base + "/signup");
    await checkPage(page, "/signup");
    await page.fill("input[name=name]", "Ada Lovelace");
    await page.fill("input[name=email]", "ada@example.org");
    await page.fill("input[name=password]", password);
    await Promise.all([page.waitForURL(base + "/"), page.click("form button[type=submit]")]);
    assert.equal((await page.locator("nav.account .viewer-name").textContent()).trim(), "Ada Lovelace");
    await logOut(page);
    assert.equal(await page.locator("nav.account .viewer-name").count(), 0);
    await page.goto(base + "/login");
    await checkPage(page, "/login");
    await logIn(page, base, "ada@example.org");
    assert.equal((await page.locator("nav.account .viewer-name").textContent()).trim(), "Ada Lovelace");
  });

  let votedId;
  await step("upvote a paper: the count goes up and stays after a reload", async () => {
    const button = page.locator("li.paper button.vote").first();
    votedId = await button.getAttribute("data-paper");
    const before = Number(await button.locator(".votes").textContent());
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/papers/${votedId}/upvote`));
    await button.click();
    assert.equal((await answered).status(), 200);
    await page.waitForFunction(([id, n]) =>
      document.querySelector(`button.vote[data-paper="${id}"] .votes`).textContent === String(n), [votedId, before + 1]);
    await page.reload();
    const after = page.locator(`button.vote[data-paper="${votedId}"]`).first();
    assert.equal(Number(await after.locator(".votes").textContent()), before + 1);
    assert.equal(await after.getAttribute("aria-pressed"), "true");
  });

  await step("submit a paper by id through the form; it is in today's listing", async () => {
    const form = page.locator("form.submit-paper");
    assert.equal(await form.count(), 1, "the listing offers the submit form to a signed-in reader");
    await page.fill("#submit-id", "arXiv:2602.07774v3");
    await Promise.all([page.waitForURL(new RegExp(`/papers/date/${today}#p-2602-07774$`)),
                       form.locator("button[type=submit]").click()]);
    assert.deepEqual(arxivRequests, ["2602.07774"]);
    const card = page.locator("#p-2602-07774");
    await card.waitFor();
    assert.match(await card.locator(".title").textContent(), /Generative Reasoning Re-ranker/);
    await page.screenshot({ path: join(artifacts, "community-submitted.png"), fullPage: false });
    await checkPage(page, `/papers/date/${today} (signed in)`);
    await page.goto(base + "/papers/2602.07774");
    assert.match(await page.locator(".paper-page .submitted").textContent(), /Submitted by Ada Lovelace/);
  });

  await step("a curator hides a paper and it leaves the listing", async () => {
    const signup = await fetch(base + "/api/auth/signup", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "cora@example.org", password, name: "Cora Curator" }),
    });
    assert.equal(signup.status, 201);
    const role = spawnSync(binary, ["--data-dir", dataDir, "user", "set-role", "cora@example.org", "curator"],
                           { encoding: "utf8" });
    assert.equal(role.status, 0, role.stderr);
    await page.goto(base + "/");
    await logOut(page);
    await logIn(page, base, "cora@example.org");
    await page.goto(`${base}/papers/date/${today}`);
    assert.equal(await page.locator("#p-2602-07774").count(), 1);
    await page.goto(base + "/papers/2602.07774");
    await Promise.all([page.waitForURL(base + "/papers/2602.07774"),
                       page.click("form.curation button[value=hide]")]);
    await page.locator("text=Hidden by curators").waitFor();
    await page.screenshot({ path: join(artifacts, "community-curator.png"), fullPage: false });
    await checkPage(page, "/papers/2602.07774 (curator)");
    await page.goto(`${base}/papers/date/${today}`);
    assert.equal(await page.locator("#p-2602-07774").count(), 0, "the hidden paper left today's listing");
    await page.screenshot({ path: join(artifacts, "community-after-hide.png"), fullPage: false });
    // Readers still reach the paper by id.
    const byId = await fetch(base + "/papers/2602.07774");
    assert.equal(byId.status, 200);
  });

  assertNoProblems();
}

run("e2e community", main);
