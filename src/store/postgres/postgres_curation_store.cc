#include "store/postgres/postgres_curation_store.h"

#include <array>

namespace paperboy::store::postgres {
namespace {

// Append only, as every migration list. Same tables and meaning as SQLite migration 5.
constexpr std::array<Migration, 2> kCurationMigrations = {{
    {1, "submitted papers, featured and hidden flags",
     R"sql(
CREATE TABLE submissions (
  paper_id     text COLLATE "C" PRIMARY KEY,  -- canonical arXiv id; the first submission wins
  account_id   bigint NOT NULL,               -- no foreign key: the name is looked up when shown
  listing_day  text COLLATE "C" NOT NULL,     -- YYYY-MM-DD (UTC) the paper was submitted
  submitted_at bigint NOT NULL
);
CREATE INDEX submissions_day ON submissions(listing_day, submitted_at);
CREATE TABLE paper_curation (
  paper_id    text COLLATE "C" PRIMARY KEY,
  is_featured boolean NOT NULL DEFAULT false,
  is_hidden   boolean NOT NULL DEFAULT false,
  listing_day text COLLATE "C" NOT NULL,      -- the listing that shows the paper (featured go first)
  changed_by  bigint NOT NULL,                -- account of the last change
  changed_at  bigint NOT NULL
);
CREATE INDEX paper_curation_featured ON paper_curation(listing_day) WHERE is_featured;
CREATE INDEX paper_curation_hidden ON paper_curation(paper_id) WHERE is_hidden;
)sql"},
    {2, "a member's submissions, for the profile page (SQLite migration 9)",
     R"sql(
CREATE INDEX submissions_account ON submissions(account_id, submitted_at);
)sql"},
}};

constexpr std::string_view kSubmissionColumns = "paper_id, account_id, listing_day, submitted_at";

Result<std::vector<Submission>> read_submissions(const Result<PgResult>& res) {
  if (!res) return fail(res.error());
  std::vector<Submission> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r) {
    out.push_back({std::string(res->text(r, 0)), res->int64(r, 1), std::string(res->text(r, 2)), res->int64(r, 3)});
  }
  return out;
}

}  // namespace

std::span<const Migration> curation_migrations() {
  return kCurationMigrations;
}

Result<std::unique_ptr<PostgresCurationStore>> PostgresCurationStore::open(const std::string& url, int pool_size) {
  std::unique_ptr<PostgresCurationStore> store(new PostgresCurationStore(url, pool_size));
  auto conn = store->pool_.acquire();
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kCurationComponent, curation_migrations()); !s.is_ok()) {
    return fail(s.with_context(redact_url(url)));
  }
  return store;
}

Result<SubmissionOutcome> PostgresCurationStore::record_submission(const Submission& submission) {
  {
    auto conn = pool_.acquire();
    if (!conn) return fail(conn.error());
    // ON CONFLICT DO NOTHING returns no row when the paper was submitted before. An insert racing
    // a concurrent first one waits for it to commit, so the read-back below sees the winner.
    auto rows = read_submissions((*conn)->query("INSERT INTO submissions(" + std::string(kSubmissionColumns) +
                                                    ") VALUES($1, $2, $3, $4) ON CONFLICT (paper_id) DO NOTHING "
                                                    "RETURNING " +
                                                    std::string(kSubmissionColumns),
                                                Params()
                                                    .text(submission.paper_id)
                                                    .int64(submission.account_id)
                                                    .text(submission.listing_day)
                                                    .int64(submission.submitted_at)));
    if (!rows) return fail(rows.error());
    if (!rows->empty()) {
      generation_.fetch_add(1);
      return SubmissionOutcome{std::move(rows->front()), true};
    }
  }  // the connection goes back before the read-back takes one
  auto existing = get_submission(submission.paper_id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Status::internal("submission of " + submission.paper_id + " vanished"));
  return SubmissionOutcome{std::move(**existing), false};
}

Result<std::optional<Submission>> PostgresCurationStore::get_submission(std::string_view paper_id) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto rows = read_submissions((*conn)->query(
      "SELECT " + std::string(kSubmissionColumns) + " FROM submissions WHERE paper_id = $1", Params().text(paper_id)));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<Submission>();
  return std::optional<Submission>(std::move(rows->front()));
}

Result<std::vector<Submission>> PostgresCurationStore::submissions_between(std::string_view from_day,
                                                                           std::string_view to_day) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return read_submissions((*conn)->query("SELECT " + std::string(kSubmissionColumns) +
                                             " FROM submissions WHERE listing_day BETWEEN $1 AND $2 "
                                             "ORDER BY listing_day DESC, submitted_at DESC, paper_id DESC",
                                         Params().text(from_day).text(to_day)));
}

Result<std::vector<Submission>> PostgresCurationStore::submissions_by(std::int64_t account_id, int limit) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return read_submissions((*conn)->query("SELECT " + std::string(kSubmissionColumns) +
                                             " FROM submissions WHERE account_id = $1 "
                                             "ORDER BY submitted_at DESC, paper_id DESC LIMIT $2",
                                         Params().int64(account_id).int64(limit)));
}

Result<std::string> PostgresCurationStore::newest_submission_day() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query("SELECT COALESCE(MAX(listing_day), '') FROM submissions");
  if (!res) return fail(res.error());
  return std::string(res->text(0, 0));
}

Status PostgresCurationStore::set_flag(std::string_view paper_id, std::string_view listing_day, CurationFlag flag,
                                       bool on, std::int64_t account_id, std::int64_t now) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  // Two statement texts rather than a column name spliced from input: the column is ours.
  PB_RETURN_IF_ERROR(
      (*conn)->run(flag == CurationFlag::kFeatured
                       ? "INSERT INTO paper_curation(paper_id, is_featured, listing_day, changed_by, changed_at) "
                         "VALUES($1, $2::boolean, $3, $4, $5) ON CONFLICT (paper_id) DO UPDATE SET "
                         "is_featured = EXCLUDED.is_featured, listing_day = EXCLUDED.listing_day, "
                         "changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at"
                       : "INSERT INTO paper_curation(paper_id, is_hidden, listing_day, changed_by, changed_at) "
                         "VALUES($1, $2::boolean, $3, $4, $5) ON CONFLICT (paper_id) DO UPDATE SET "
                         "is_hidden = EXCLUDED.is_hidden, listing_day = EXCLUDED.listing_day, "
                         "changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at",
                   Params().text(paper_id).text(on ? "true" : "false").text(listing_day).int64(account_id).int64(now)));
  generation_.fetch_add(1);
  return Status::ok();
}

Result<std::unordered_map<std::string, CurationFlags>> PostgresCurationStore::flags_of(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, CurationFlags> out;
  if (paper_ids.empty()) return out;
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(
      "SELECT paper_id, is_featured, is_hidden FROM paper_curation "
      "WHERE paper_id = ANY($1::text[]) AND (is_featured OR is_hidden)",
      Params().text(array_literal(std::vector<std::string>(paper_ids.begin(), paper_ids.end()))));
  if (!res) return fail(res.error());
  for (int r = 0; r < res->rows(); ++r) {
    out[std::string(res->text(r, 0))] = {res->text(r, 1) == "t", res->text(r, 2) == "t"};
  }
  return out;
}

Result<std::vector<std::string>> PostgresCurationStore::ids(std::string_view sql, const Params& params) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(sql, params);
  if (!res) return fail(res.error());
  std::vector<std::string> out;
  for (int r = 0; r < res->rows(); ++r) out.emplace_back(res->text(r, 0));
  return out;
}

Result<std::vector<std::string>> PostgresCurationStore::flagged(CurationFlag flag) {
  return ids(flag == CurationFlag::kFeatured ? "SELECT paper_id FROM paper_curation WHERE is_featured ORDER BY paper_id"
                                             : "SELECT paper_id FROM paper_curation WHERE is_hidden ORDER BY paper_id",
             Params());
}

Result<std::vector<std::string>> PostgresCurationStore::flagged_between(CurationFlag flag, std::string_view from_day,
                                                                        std::string_view to_day) {
  return ids(flag == CurationFlag::kFeatured
                 ? "SELECT paper_id FROM paper_curation WHERE is_featured AND listing_day BETWEEN $1 AND $2 "
                   "ORDER BY paper_id"
                 : "SELECT paper_id FROM paper_curation WHERE is_hidden AND listing_day BETWEEN $1 AND $2 "
                   "ORDER BY paper_id",
             Params().text(from_day.empty() ? "0000-00-00" : from_day).text(to_day.empty() ? "9999-99-99" : to_day));
}

}  // namespace paperboy::store::postgres
