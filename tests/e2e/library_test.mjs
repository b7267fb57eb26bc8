// Browser end-to-end test of the library features in real Chromium (Debian `chromium`, driven by
// playwright-core): sign up, save a paper to a new public collection, export the collection as
// BibTeX (the download must parse with Debian's pybtex), comment on a paper in markdown (rendered,
// with script and javascript: links made harmless), follow a category and see its papers on
// My feed with the reason, toggle "Save" on a card; axe-core on every new page (no serious or
// critical violations, light and dark). Screenshots go to $E2E_ARTIFACTS.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import assert from "node:assert/strict";
import { artifacts, createHarness } from "./harness.mjs";

const { step, startServer, launch, checkAccessibility, assertNoProblems, run } = createHarness("library");
const paperId = "2606.20740";  // cs.CL cs.LG in tests/fixtures/web/e2e-papers.jsonl

// Entries of a BibTeX file as Debian's pybtex reads them (a real parser, as the web tests use).
function parseBibtex(path) {
  const r = spawnSync("/usr/bin/python3", ["-c",
    "import sys, json\nfrom pybtex.database import parse_file\n" +
    "db = parse_file(sys.argv[1], 'bibtex')\n" +
    "print(json.dumps({k: dict(e.fields) for k, e in db.entries.items()}))", path], { encoding: "utf8" });
  assert.equal(r.status, 0, `pybtex could not parse the export: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function main() {
  const base = await startServer();
  const { page } = await launch();
  let collectionUrl = "";
  let commentId = "";

  await step("sign up", async () => {
    await page.goto(base + "/signup");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill("ada@example.org");
    await page.getByLabel(/^Password/).fill("correct horse battery staple");
    await Promise.all([page.waitForURL(base + "/"), page.getByRole("button", { name: "Create account" }).click()]);
    assert.equal(await page.locator("a.viewer-name").textContent(), "Ada Lovelace");
    assert.ok(await page.getByRole("link", { name: "My feed" }).isVisible());
  });

  await step("save a paper to a new public collection", async () => {
    await page.goto(`${base}/papers/${paperId}`);
    // Typing a name is enough: the list stays on its first choice (issue 16: it used to be dropped).
    await page.getByLabel("New collection name").fill("Reading group");
    await page.getByLabel("Public", { exact: true }).check();
    await Promise.all([page.waitForURL(`${base}/papers/${paperId}`),
                       page.getByRole("button", { name: "Save paper" }).click()]);
    const savedIn = page.locator(".saved-in a");
    assert.equal(await savedIn.textContent(), "Reading group");
    collectionUrl = new URL(await savedIn.getAttribute("href"), base).href;
    await page.goto(base + "/collections");
    await page.getByRole("link", { name: "Reading group" }).click();
    await page.waitForURL(collectionUrl);
    assert.equal(await page.locator("li.paper").count(), 1);
    assert.ok((await page.locator(".sub").textContent()).startsWith("Public"));
    await page.screenshot({ path: join(artifacts, "library-collection.png"), fullPage: true });
  });

  await step("export the collection as BibTeX that pybtex parses", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"),
                                          page.getByRole("link", { name: "BibTeX for this collection" }).click()]);
    const file = join(artifacts, "library-collection.bib");
    await download.saveAs(file);
    const entries = parseBibtex(file);
    const keys = Object.keys(entries);
    assert.equal(keys.length, 1, `one entry, got ${keys}`);
    assert.equal(entries[keys[0]].eprint, paperId);
    // A public collection also has a feed, fetched without cookies as a feed reader would.
    const atom = await (await fetch(collectionUrl.replace("/collections/", "/feeds/collection/") + ".atom")).text();
    assert.ok(atom.includes("<feed") && atom.includes(paperId));
  });

  await step("comment in markdown: rendered, and script stays inert", async () => {
    await page.goto(`${base}/papers/${paperId}`);
    await page.getByLabel(/Add a comment/).fill(
      "This is **bold** and `code`.\n\n<script>window.pwned = 1</script>\n\n[link](javascript:window.pwned=2)");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.waitForURL(/#comment-\d+$/);
    commentId = page.url().match(/#comment-(\d+)$/)[1];
    const body = page.locator(`#comment-${commentId} .comment-body`);
    assert.equal(await body.locator("strong").textContent(), "bold");
    assert.equal(await body.locator("code").textContent(), "code");
    assert.equal(await body.locator("script").count(), 0);
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
    // The javascript: link is still a link, but its target is emptied; following it runs nothing.
    const link = body.getByRole("link", { name: "link" });
    assert.equal(await link.count(), 1);
    assert.equal(await link.getAttribute("href"), "");
    await link.click();
    await page.waitForLoadState("load");
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.locator(`#comment-${commentId}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, "library-comment.png") });
  });

  await step("follow a category and see its papers on My feed", async () => {
    await page.goto(base + "/categories/cs.LG");
    await page.getByRole("button", { name: "Follow cs.LG" }).click();
    await page.waitForURL(base + "/categories/cs.LG");
    assert.equal(await page.locator("button.follow-button").getAttribute("aria-pressed"), "true");
    await page.getByRole("link", { name: "My feed" }).click();
    await page.waitForURL(base + "/feed");
    const entries = page.locator("li.feed-entry");
    assert.ok(await entries.count() >= 1, "My feed has papers");
    assert.ok((await entries.first().locator(".why").textContent()).includes("you follow cs.LG"));
    assert.ok(await page.locator(`li.feed-entry #p-${paperId.replace(".", "-")}`).count() === 1);
    await page.screenshot({ path: join(artifacts, "library-feed.png"), fullPage: true });
  });

  await step("the Save toggle on a card saves to the Saved collection", async () => {
    const toggle = page.locator("button.save-toggle").first();
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    await page.waitForFunction(() => document.querySelector("button.save-toggle").getAttribute("aria-pressed") === "true");
    await page.goto(base + "/collections");
    assert.ok(await page.getByRole("link", { name: "Saved" }).isVisible());
  });

  await step("axe-core: no serious or critical violations on the new pages", async () => {
    const paths = ["/collections", new URL(collectionUrl).pathname, "/feed", `/papers/${paperId}`,
                   `/comments/${commentId}/edit`, "/categories/cs.LG"];
    await checkAccessibility(page, paths.map((path) => [base + path, path]));
  });

  assertNoProblems();
}

run("e2e library", main);
