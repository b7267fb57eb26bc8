#include "store/sqlite/migrations.h"

#include <array>
#include <string>
#include <string_view>

namespace paperboy::store::sqlite {
namespace {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Append only: a released migration is never edited, a change is a new one.
constexpr std::array<Migration, 10> kMigrations = {{
    {1, "papers and durable state",
     R"sql(
CREATE TABLE papers (
  doc_id           INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  abstract         TEXT NOT NULL,
  authors          TEXT NOT NULL,            -- JSON [[keyname, forenames, suffix], ...]
  categories       TEXT NOT NULL,            -- JSON ["cs.LG", ...], primary first
  primary_category TEXT NOT NULL,
  comments         TEXT,
  journal_ref      TEXT,
  doi              TEXT,
  report_no        TEXT,
  license          TEXT,
  submitter        TEXT,
  versions         TEXT NOT NULL,            -- JSON [[number, created_unix], ...] ascending
  latest_version   INTEGER NOT NULL,
  published        INTEGER NOT NULL,         -- v1 time, unix seconds UTC
  listing_day      TEXT NOT NULL,            -- YYYY-MM-DD of v1
  update_date      TEXT NOT NULL,            -- YYYY-MM-DD as the source says
  content_hash     INTEGER NOT NULL,
  change_seq       INTEGER NOT NULL,
  stored_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX papers_change_seq ON papers(change_seq);
CREATE INDEX papers_listing ON papers(listing_day, published);
CREATE TABLE state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    {2, "category membership for listing filters",
     R"sql(
CREATE TABLE paper_categories (
  category   TEXT NOT NULL,
  doc_id     INTEGER NOT NULL REFERENCES papers(doc_id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (category, doc_id)
) WITHOUT ROWID;
CREATE INDEX paper_categories_doc ON paper_categories(doc_id);
INSERT OR IGNORE INTO paper_categories(category, doc_id, is_primary)
  SELECT je.value, p.doc_id, je.key = 0 FROM papers p, json_each(p.categories) je;
)sql"},
    {3, "community: accounts, sessions, API tokens, upvotes",
     R"sql(
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,   -- normalised lower case
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,          -- argon2id string (libsodium crypto_pwhash_str)
  role          INTEGER NOT NULL,       -- 0 user, 1 curator, 2 admin
  created_at    INTEGER NOT NULL
);
CREATE TABLE sessions (
  id_hash    TEXT PRIMARY KEY,          -- hash of the cookie's secret; the secret is never stored
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_account ON sessions(account_id);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_tokens_account ON api_tokens(account_id);
CREATE TABLE votes (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  paper_id   TEXT NOT NULL,
  voted_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, paper_id)    -- one vote per account per paper
) WITHOUT ROWID;
CREATE INDEX votes_paper ON votes(paper_id);
CREATE TABLE paper_votes (
  paper_id  TEXT PRIMARY KEY,
  upvotes   INTEGER NOT NULL CHECK (upvotes >= 0),
  published INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX paper_votes_published ON paper_votes(published);
)sql"},
    {4, "e-mail digest subscriptions and outbox",
     R"sql(
CREATE TABLE mail_subscriptions (
  id              INTEGER PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,     -- lower-cased
  frequency       TEXT NOT NULL,            -- daily | weekly
  kind            TEXT NOT NULL,            -- trending | categories | personal
  categories      TEXT NOT NULL,            -- comma-separated
  account_id      INTEGER,
  status          TEXT NOT NULL,            -- pending | confirmed | unsubscribed | paused
  bounces         INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  confirmed_at    INTEGER,
  confirm_sent_at INTEGER
);
CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES mail_subscriptions(id) ON DELETE CASCADE,
  issue_key       TEXT NOT NULL,            -- confirm:<unix> | daily:YYYY-MM-DD | weekly:YYYY-Www
  state           TEXT NOT NULL,            -- pending | sending | sent | failed | skipped
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  message_id      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  UNIQUE (subscription_id, issue_key)
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
)sql"},
    {5, "curation: submitted papers, featured and hidden flags",
     R"sql(
CREATE TABLE submissions (
  paper_id     TEXT PRIMARY KEY,          -- canonical arXiv id; the first submission wins
  account_id   INTEGER NOT NULL,          -- no foreign key: the name is looked up when shown
  listing_day  TEXT NOT NULL,             -- YYYY-MM-DD (UTC) the paper was submitted
  submitted_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX submissions_day ON submissions(listing_day, submitted_at);
CREATE TABLE paper_curation (
  paper_id    TEXT PRIMARY KEY,
  is_featured INTEGER NOT NULL DEFAULT 0,
  is_hidden   INTEGER NOT NULL DEFAULT 0,
  listing_day TEXT NOT NULL,              -- the listing that shows the paper (featured go first)
  changed_by  INTEGER NOT NULL,           -- account of the last change
  changed_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX paper_curation_featured ON paper_curation(listing_day) WHERE is_featured = 1;
CREATE INDEX paper_curation_hidden ON paper_curation(paper_id) WHERE is_hidden = 1;
)sql"},
    {6, "library: collections of saved papers, follows, comments",
     R"sql(
CREATE TABLE collections (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a deleted collection's URL stays dead
  account_id INTEGER NOT NULL,                   -- accounts(id); removed by delete_account_data
  name       TEXT NOT NULL,
  is_public  INTEGER NOT NULL DEFAULT 0,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX collections_one_default ON collections(account_id) WHERE is_default = 1;
CREATE TABLE collection_papers (
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  paper_id      TEXT NOT NULL,
  added_at      INTEGER NOT NULL,
  PRIMARY KEY (collection_id, paper_id)
) WITHOUT ROWID;
CREATE INDEX collection_papers_added ON collection_papers(collection_id, added_at);
CREATE TABLE follows (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  kind       INTEGER NOT NULL,                   -- 0 category, 1 author, 2 search
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, kind, value)
);
CREATE TABLE comments (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  paper_id   TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  body       TEXT NOT NULL,                      -- markdown source
  created_at INTEGER NOT NULL,
  edited_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_paper ON comments(paper_id, id);
CREATE INDEX comments_account ON comments(account_id);
)sql"},
    {7, "attempt counters for login, sign-up and password-reset limits",
     R"sql(
CREATE TABLE attempt_counts (
  key     TEXT PRIMARY KEY,               -- "login-account:EMAIL", "login-client:ADDRESS", ...
  count   INTEGER NOT NULL,
  last_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    {8, "DOI look-ups: a paper found by the DOI typed into search",
     R"sql(
CREATE INDEX papers_doi ON papers(lower(doi));
)sql"},
    {9, "first-page thumbnails: which papers have one, failed for good, or wait for a retry",
     R"sql(
CREATE TABLE thumbnails (
  paper_id        TEXT PRIMARY KEY,
  state           TEXT NOT NULL,              -- ok, failed, retry
  hash            TEXT NOT NULL DEFAULT '',   -- content hash of the image file (ok)
  width           INTEGER NOT NULL DEFAULT 0,
  height          INTEGER NOT NULL DEFAULT 0,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0, -- unix seconds (retry)
  updated_at      INTEGER NOT NULL,
  error           TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX thumbnails_state ON thumbnails(state, updated_at);
)sql"},
    {10, "community polish: comment replies, profile pages",
     R"sql(
ALTER TABLE comments ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0;  -- 0: a top-level comment
CREATE INDEX submissions_account ON submissions(account_id, submitted_at);
CREATE INDEX accounts_name ON accounts(name);
)sql"},
}};

}  // namespace

int latest_schema_version() {
  return kMigrations.back().version;
}

Result<int> current_schema_version(Connection& conn) {
  auto stmt = conn.prepare("PRAGMA user_version");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return static_cast<int>(stmt->int64(0));
}

Status migrate(Connection& conn, int target) {
  if (target < 0) target = latest_schema_version();
  auto current = current_schema_version(conn);
  if (!current) return current.error();
  if (*current > latest_schema_version()) {
    return Status::invalid_argument("database schema version " + std::to_string(*current) +
                                    " is newer than this paperboy supports (" +
                                    std::to_string(latest_schema_version()) + "); upgrade paperboy");
  }
  for (const auto& m : kMigrations) {
    if (m.version <= *current || m.version > target) continue;
    auto tx = Transaction::begin(conn);
    if (!tx) return tx.error();
    PB_RETURN_IF_ERROR(conn.exec(m.sql).with_context("migration " + std::to_string(m.version) + " (" +
                                                     std::string(m.description) + ")"));
    // PRAGMA cannot take a bound parameter; the value is our own integer constant.
    PB_RETURN_IF_ERROR(conn.exec("PRAGMA user_version = " + std::to_string(m.version)));
    PB_RETURN_IF_ERROR(tx->commit());
  }
  return Status::ok();
}

}  // namespace paperboy::store::sqlite
