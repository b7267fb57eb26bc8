// Browser end-to-end test of issue 16 item 8 in real Chromium (Debian `chromium`, driven by
// playwright-core): two members; one comments, the other replies through the "Reply" control and
// the reply shows nested under the comment; a comment with TeX math is typeset by KaTeX; the
// comment author's name leads to a profile page that lists a public collection and the comments
// but not a private collection; an author page shows co-authors, top categories and papers per
// year. axe-core on the profile and author pages (no serious or critical violations), light and
// dark, at 1366x900 and 390x844. Screenshots go to $E2E_ARTIFACTS.
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, createHarness } from "./harness.mjs";

const { step, startServer, launch, checkAccessibility, assertNoProblems, run } = createHarness("community-polish");
const paperId = "2606.20740";  // Rahman and Alsharari, cs.CL cs.LG, in tests/fixtures/web/e2e-papers.jsonl
const password = "correct horse battery staple";

async function signUp(page, base, name, email) {
  await page.goto(base + "/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await Promise.all([page.waitForURL(base + "/"), page.getByRole("button", { name: "Create account" }).click()]);
}

async function logOut(page) {
  await Promise.all([page.waitForLoadState("load"), page.click("nav.account button[type=submit]")]);
  await page.waitForSelector("nav.account a[href='/login']");
}

async function main() {
  // PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum: sign-ups cost milliseconds, as in the other tests.
  const base = await startServer({ PAPERBOY_COMMUNITY_PASSWORD_HASH: "minimum" });
  const { page } = await launch();
  let topId = "";
  let profileUrl = "";

  await step("a member comments with math, and KaTeX typesets it", async () => {
    await signUp(page, base, "Ada Lovelace", "ada@example.org");
    // A public and a private collection: the profile must show only the first.
    await page.goto(`${base}/papers/${paperId}`);
    await page.getByLabel("New collection name").fill("Bounds worth reading");
    await page.getByLabel("Public", { exact: true }).check();
    await Promise.all([page.waitForURL(`${base}/papers/${paperId}`), page.getByRole("button", { name: "Save paper" }).click()]);
    await page.getByLabel("New collection name").fill("Secret shortlist");
    await Promise.all([page.waitForURL(`${base}/papers/${paperId}`), page.getByRole("button", { name: "Save paper" }).click()]);
    await page.getByLabel(/Add a comment/).fill("The bound needs $\\epsilon_1 * \\delta_2 * n_3$ samples, and\n\n$$\\sum_{i=1}^n x_i^*$$");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.waitForURL(/#comment-\d+$/);
    topId = page.url().match(/#comment-(\d+)$/)[1];
    const body = page.locator(`#comment-${topId} > .comment-body`);
    await page.waitForSelector("html.katex-ready");
    await body.locator(".math .katex").first().waitFor();
    assert.equal(await body.locator(".math .katex").count(), 2, "inline and display math typeset");
    assert.equal(await body.locator(".math.display .katex-display, .math.display .katex").count() >= 1, true);
    assert.equal(await body.locator("em").count(), 0, "no emphasis made from the asterisks inside math");
    await page.locator(`#comment-${topId}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, "community-polish-math.png") });
    await logOut(page);
  });

  await step("another member replies with the Reply control; the reply is nested", async () => {
    await signUp(page, base, "Bob Reader", "bob@example.org");
    await page.goto(`${base}/papers/${paperId}`);
    const thread = page.locator(`#comment-${topId}`);
    await thread.locator("details.reply > summary").click();
    await thread.getByLabel("Reply to Ada Lovelace").fill("Which *constant* hides in the bound?");
    await Promise.all([page.waitForURL(/#comment-\d+$/), thread.getByRole("button", { name: "Post reply" }).click()]);
    const replyId = page.url().match(/#comment-(\d+)$/)[1];
    assert.notEqual(replyId, topId);
    const reply = page.locator(`#comment-${topId} ol.replies > li#comment-${replyId}`);
    assert.equal(await reply.count(), 1, "the reply sits inside its comment's thread");
    assert.equal(await reply.locator(".comment-body em").textContent(), "constant");
    assert.equal(await reply.locator(".comment-author").textContent(), "Bob Reader");
    // Relative time with the exact time on hover.
    const time = reply.locator("time");
    assert.match(await time.getAttribute("title"), /UTC$/);
    assert.match(await time.textContent(), /now|second|minute/);
    const indent = await reply.evaluate((el) => el.getBoundingClientRect().left);
    const parentLeft = await page.locator(`#comment-${topId} > .comment-body`).evaluate((el) => el.getBoundingClientRect().left);
    assert.ok(indent > parentLeft, `reply indented (${indent} > ${parentLeft})`);
    await page.locator(`#comment-${topId}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, "community-polish-reply.png") });
  });

  await step("the comment author's name leads to a profile with public things only", async () => {
    await page.locator(`#comment-${topId} > .comment-meta a.comment-author`).click();
    await page.waitForURL(/\/users\/\d+$/);
    profileUrl = page.url();
    assert.equal(await page.locator("h1").textContent(), "Ada Lovelace");
    assert.ok(await page.getByRole("link", { name: "Bounds worth reading" }).isVisible());
    assert.equal(await page.getByText("Secret shortlist").count(), 0, "no private collection");
    assert.equal(await page.getByText("ada@example.org").count(), 0, "no e-mail");
    const comment = page.locator(".profile-comments li").first();
    assert.ok((await comment.locator("a.title").getAttribute("href")).startsWith(`/papers/${paperId}#comment-`));
    await page.waitForSelector("html.katex-ready");
    assert.ok(await comment.locator(".math .katex").count() >= 1, "math typeset on the profile too");
    await page.screenshot({ path: join(artifacts, "community-polish-profile.png"), fullPage: true });
    const missing = await page.goto(base + "/users/nobody-here");
    assert.equal(missing.status(), 404);
  });

  await step("an author page shows co-authors, top categories and papers per year", async () => {
    await page.goto(`${base}/authors/Rahman?f=Amirul`);
    const facts = page.locator("section.author-facts");
    const coAuthor = facts.getByRole("link", { name: "Mohammed Sabih Alsharari" });
    assert.ok(await coAuthor.isVisible());
    assert.match(await coAuthor.getAttribute("href"), /^\/authors\/Alsharari\?f=Mohammed(%20|\+)Sabih$/);
    assert.ok((await facts.locator(".top-categories").textContent()).includes("Computation and Language"));
    const rows = facts.locator("table.years tbody tr");
    assert.ok(await rows.count() >= 1);
    assert.match(await rows.first().locator("th").textContent(), /^\d{4}$/);
    await page.screenshot({ path: join(artifacts, "community-polish-author.png"), fullPage: true });
    await Promise.all([page.waitForURL(/\/authors\/Alsharari/), coAuthor.click()]);
    assert.ok(await page.locator("section.author-facts").getByRole("link", { name: "Amirul Rahman" }).isVisible());
  });

  await step("axe-core: profile and author pages, light and dark, desktop and phone", async () => {
    const urls = [[profileUrl, "profile"], [`${base}/authors/Rahman?f=Amirul`, "author"],
                  [`${base}/papers/${paperId}`, "paper with a reply thread"]];
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await checkAccessibility(page, urls.map(([url, label]) => [url, `${label} ${width}x${height}`]));
      for (const [url, label] of urls.slice(0, 2)) {
        await page.goto(url);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${label} at ${width}px: no horizontal scrolling (${overflow}px)`);
        await page.screenshot({ path: join(artifacts, `community-polish-${label}-${width}.png`), fullPage: true });
      }
    }
  });

  assertNoProblems();
}

run("e2e community polish", main);
