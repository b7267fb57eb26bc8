#include "store/postgres/postgres_store.h"

#include <bit>
#include <unordered_map>

#include "core/time.h"
#include "store/paper_codec.h"
#include "store/postgres/pg_migrations.h"
#include "store/shared_sql.h"
#include "store/upsert_rules.h"

namespace paperboy::store::postgres {
namespace {

Result<StoredPaper> read_paper(const PgResult& res, int row) {
  StoredPaper out;
  out.doc_id = res.int64(row, 0);
  out.change_seq = res.int64(row, 1);
  core::Paper& p = out.paper;
  p.id = res.text(row, 2);
  p.title = res.text(row, 3);
  p.abstract = res.text(row, 4);
  if (Status s = decode_authors(res.text(row, 5), p.authors); !s.is_ok()) return fail(s.with_context(p.id));
  if (Status s = decode_categories(res.text(row, 6), p.categories); !s.is_ok()) return fail(s.with_context(p.id));
  p.comments = res.text(row, 7);
  p.journal_ref = res.text(row, 8);
  p.doi = res.text(row, 9);
  p.report_no = res.text(row, 10);
  p.license = res.text(row, 11);
  p.submitter = res.text(row, 12);
  if (Status s = decode_versions(res.text(row, 13), p.versions); !s.is_ok()) return fail(s.with_context(p.id));
  p.update_date = res.text(row, 14);
  return out;
}

Result<std::vector<StoredPaper>> read_all(const Result<PgResult>& res) {
  if (!res) return fail(res.error());
  std::vector<StoredPaper> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r) {
    auto paper = read_paper(*res, r);
    if (!paper) return fail(paper.error());
    out.push_back(std::move(*paper));
  }
  return out;
}

// The WHERE clause of a listing query, with its parameters appended to `params` in order.
std::string listing_where(const ListingQuery& q, Params& params) {
  std::string w = " WHERE true";
  auto next = [&] { return "$" + std::to_string(params.size()); };
  if (!q.from_day.empty()) {
    params.text(q.from_day);
    w += " AND listing_day >= " + next();
  }
  if (!q.to_day.empty()) {
    params.text(q.to_day);
    w += " AND listing_day <= " + next();
  }
  if (!q.categories.empty()) {
    w += " AND doc_id IN (SELECT doc_id FROM paper_categories WHERE category IN (";
    for (size_t i = 0; i < q.categories.size(); ++i) {
      params.text(q.categories[i]);
      w += (i == 0 ? "" : ",") + next();
    }
    w += "))";
  }
  if (!q.exclude_ids.empty()) {
    params.text(array_literal(q.exclude_ids));
    w += " AND NOT (id = ANY(" + next() + "::text[]))";
  }
  return w;
}

Result<std::optional<StoredPaper>> load_paper(PgConnection& conn, std::string_view id) {
  auto rows = read_all(
      conn.query("SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE id = $1", Params().text(id)));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<StoredPaper>();
  return std::optional<StoredPaper>(std::move(rows->front()));
}

// What the batch's transaction knows about papers already stored, by arXiv id.
struct Existing {
  std::int64_t doc_id = 0;
  StoredSummary summary;
};
using ExistingById = std::unordered_map<std::string, Existing>;

// One round trip for the whole batch instead of one look-up per paper: the ids travel as a single
// text[] parameter. Runs inside the batch's transaction, after the writers' lock.
Result<ExistingById> load_existing(PgConnection& db, const std::vector<core::Paper>& papers) {
  std::vector<std::string> ids;
  ids.reserve(papers.size());
  for (const auto& p : papers) ids.push_back(p.id);
  auto rows =
      db.query("SELECT id, " + std::string(sql::kStoredSummaryColumns) + " FROM papers WHERE id = ANY($1::text[])",
               Params().text(array_literal(ids)));
  if (!rows) return fail(rows.error());
  ExistingById out;
  for (int r = 0; r < rows->rows(); ++r) {
    Existing e{.doc_id = rows->int64(r, 1),
               .summary = {.latest_version = static_cast<int>(rows->int64(r, 2)),
                           .update_date = std::string(rows->text(r, 3)),
                           .content_hash = std::bit_cast<std::uint64_t>(rows->int64(r, 4))}};
    if (Status s = decode_versions(rows->text(r, 5), e.summary.versions); !s.is_ok()) return fail(s);
    out.emplace(std::string(rows->text(r, 0)), std::move(e));
  }
  return out;
}

// The paper's columns as parameters $1..$18, in the order of the INSERT and UPDATE below.
Params paper_params(const core::Paper& p, const std::string& categories) {
  Params params;
  params.text(p.title)
      .text(p.abstract)
      .text(encode_authors(p.authors))
      .text(categories)
      .text(p.primary_category())
      .optional_text(p.comments)
      .optional_text(p.journal_ref)
      .optional_text(p.doi)
      .optional_text(p.report_no)
      .optional_text(p.license)
      .optional_text(p.submitter)
      .text(encode_versions(p.versions))
      .int64(p.latest_version())
      .int64(p.first_version_time())
      .text(p.listing_day())
      .text(p.update_date)
      .int64(std::bit_cast<std::int64_t>(p.content_hash()))
      .int64(core::unix_now());
  return params;
}

// One paper of a batch, inside the batch's transaction (which holds lock_keys::kPaperWrites).
// `existing` is kept current, so a batch may hold the same paper twice.
Result<UpsertOutcome> upsert_one(PgConnection& db, const core::Paper& incoming, ExistingById& existing) {
  auto found = existing.find(incoming.id);
  if (found == existing.end()) {
    // A new paper: the row and its category membership in one statement (one round trip).
    // nextval() here, under the writers' advisory lock: see postgres_store.h.
    std::string categories = encode_categories(incoming.categories);
    auto inserted = db.query(
        "WITH paper AS (INSERT INTO papers(title, abstract, authors, categories, primary_category, comments, "
        "journal_ref, doi, report_no, license, submitter, versions, latest_version, published, listing_day, "
        "update_date, content_hash, change_seq, stored_at, id) "
        "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,nextval('paper_change_seq'),$18,$19) "
        "RETURNING doc_id), "
        "cats AS (INSERT INTO paper_categories(category, doc_id, is_primary) "
        "SELECT c.value, paper.doc_id, CASE WHEN c.position = 1 THEN 1 ELSE 0 END "
        "FROM paper, jsonb_array_elements_text($4::jsonb) WITH ORDINALITY AS c(value, position) "
        "ON CONFLICT DO NOTHING) "
        "SELECT doc_id FROM paper",
        paper_params(incoming, categories).text(incoming.id));
    if (!inserted) return fail(inserted.error().with_context(incoming.id));
    if (inserted->rows() != 1) return fail(Status::internal("insert wrote no row: " + incoming.id));
    existing.emplace(incoming.id, Existing{.doc_id = inserted->int64(0, 0),
                                           .summary = {.latest_version = incoming.latest_version(),
                                                       .update_date = incoming.update_date,
                                                       .content_hash = incoming.content_hash(),
                                                       .versions = incoming.versions}});
    return UpsertOutcome::kInserted;
  }

  const std::int64_t doc_id = found->second.doc_id;
  auto decided = decide_upsert(incoming, found->second.summary, [&]() -> Result<core::Paper> {
    auto current = load_paper(db, incoming.id);
    if (!current) return fail(current.error());
    if (!*current) return fail(Status::internal("paper vanished during upsert: " + incoming.id));
    return std::move((*current)->paper);
  });
  if (!decided) return fail(decided.error());
  if (decided->outcome != UpsertOutcome::kUpdated) return decided->outcome;
  const core::Paper& p = decided->to_write;
  std::string categories = encode_categories(p.categories);
  if (Status s = db.run("UPDATE papers SET title=$1, abstract=$2, authors=$3, categories=$4, primary_category=$5, "
                        "comments=$6, journal_ref=$7, doi=$8, report_no=$9, license=$10, submitter=$11, "
                        "versions=$12, latest_version=$13, published=$14, listing_day=$15, update_date=$16, "
                        "content_hash=$17, change_seq=nextval('paper_change_seq'), stored_at=$18 WHERE doc_id=$19",
                        paper_params(p, categories).int64(doc_id));
      !s.is_ok()) {
    return fail(s.with_context(p.id));
  }
  // Updates are the rare path: replace the membership in two statements.
  if (Status s = db.run("DELETE FROM paper_categories WHERE doc_id = $1", Params().int64(doc_id)); !s.is_ok()) {
    return fail(s);
  }
  if (Status s = db.run("INSERT INTO paper_categories(category, doc_id, is_primary) "
                        "SELECT c.value, $1::bigint, CASE WHEN c.position = 1 THEN 1 ELSE 0 END "
                        "FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS c(value, position) "
                        "ON CONFLICT DO NOTHING",
                        Params().int64(doc_id).text(categories));
      !s.is_ok()) {
    return fail(s);
  }
  found->second.summary = {.latest_version = p.latest_version(),
                           .update_date = p.update_date,
                           .content_hash = p.content_hash(),
                           .versions = p.versions};
  return UpsertOutcome::kUpdated;
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& url, int pool_size) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(url, pool_size));
  auto conn = store->pool_.acquire();
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kStoreComponent, store_migrations()); !s.is_ok()) {
    return fail(s.with_context(redact_url(url)));
  }
  return store;
}

Result<BatchResult> PostgresStore::apply(const WriteBatch& batch) {
  for (const auto& paper : batch.papers) {
    if (Status s = core::validate_paper(paper); !s.is_ok()) return fail(s.with_context("paper " + paper.id));
  }
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto tx = PgTransaction::begin(**conn);
  if (!tx) return fail(tx.error());
  BatchResult result;
  if (!batch.papers.empty()) {
    if (Status s = lock_for_transaction(**conn, lock_keys::kPaperWrites); !s.is_ok()) return fail(s);
  }
  result.outcomes.reserve(batch.papers.size());
  ExistingById existing;
  if (!batch.papers.empty()) {
    auto loaded = load_existing(**conn, batch.papers);
    if (!loaded) return fail(loaded.error());
    existing = std::move(*loaded);
  }
  for (const auto& paper : batch.papers) {
    auto outcome = upsert_one(**conn, paper, existing);
    if (!outcome) return fail(outcome.error());
    record_outcome(result, *outcome);
  }
  for (const auto& [key, value] : batch.state) {
    if (Status s = (*conn)->run("INSERT INTO state(key, value) VALUES($1, $2) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                Params().text(key).text(value));
        !s.is_ok()) {
      return fail(s);
    }
  }
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  return result;
}

Result<std::optional<StoredPaper>> PostgresStore::get_paper(std::string_view id) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return load_paper(**conn, id);
}

Result<std::optional<StoredPaper>> PostgresStore::get_paper_by_doi(std::string_view doi) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // lower(doi) as written is what the papers_doi index holds (store migration 3).
  auto rows = read_all((*conn)->query(
      "SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE lower(doi) = lower($1) ORDER BY doc_id LIMIT 1",
      Params().text(doi)));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<StoredPaper>();
  return std::optional<StoredPaper>(std::move(rows->front()));
}

Result<std::vector<StoredPaper>> PostgresStore::get_papers_by_doc_id(std::span<const std::int64_t> doc_ids) {
  if (doc_ids.empty()) return std::vector<StoredPaper>();
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // One round trip for the whole page: the ids travel as one bigint[] parameter ("{1,2,3}").
  std::vector<std::string> ids;
  ids.reserve(doc_ids.size());
  for (std::int64_t id : doc_ids) ids.push_back(std::to_string(id));
  auto rows = read_all(
      (*conn)->query("SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE doc_id = ANY($1::bigint[])",
                     Params().text(array_literal(ids))));
  if (!rows) return fail(rows.error());
  std::unordered_map<std::int64_t, size_t> by_id;
  for (size_t i = 0; i < rows->size(); ++i) by_id.emplace((*rows)[i].doc_id, i);
  std::vector<StoredPaper> out;
  out.reserve(doc_ids.size());
  for (std::int64_t id : doc_ids) {
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back((*rows)[it->second]);
  }
  return out;
}

Result<std::vector<StoredPaper>> PostgresStore::papers_changed_since(std::int64_t after_seq, int limit) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return read_all((*conn)->query(
      "SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE change_seq > $1 ORDER BY change_seq LIMIT $2",
      Params().int64(after_seq).int64(limit)));
}

Result<std::int64_t> PostgresStore::max_change_seq() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // From the committed rows, not the sequence: the sequence may be ahead with uncommitted values.
  auto res = (*conn)->query(sql::kMaxChangeSeq);
  if (!res) return fail(res.error());
  return res->int64(0, 0);
}

Result<std::vector<StoredPaper>> PostgresStore::list_papers(const ListingQuery& query) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  Params params;
  std::string where = listing_where(query, params);
  params.int64(query.limit).int64(query.offset);
  std::string sql = "SELECT " + std::string(sql::kPaperColumns) + " FROM papers" + where +
                    std::string(sql::kNewestFirst) + " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" +
                    std::to_string(params.size());
  return read_all((*conn)->query(sql, params));
}

Result<std::int64_t> PostgresStore::count_papers(const ListingQuery& query) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  Params params;
  std::string where = listing_where(query, params);
  auto res = (*conn)->query("SELECT COUNT(*) FROM papers" + where, params);
  if (!res) return fail(res.error());
  return res->int64(0, 0);
}

Result<std::string> PostgresStore::newest_listing_day() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(sql::kNewestListingDay);
  if (!res) return fail(res.error());
  return std::string(res->text(0, 0));
}

Result<std::pair<std::string, std::string>> PostgresStore::neighbour_listing_days(std::string_view day) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(
      "SELECT (SELECT COALESCE(MAX(listing_day), '') FROM papers WHERE listing_day < $1),"
      " (SELECT COALESCE(MIN(listing_day), '') FROM papers WHERE listing_day > $1)",
      Params().text(day));
  if (!res) return fail(res.error());
  return std::pair<std::string, std::string>(std::string(res->text(0, 0)), std::string(res->text(0, 1)));
}

Result<std::vector<StoredPaper>> PostgresStore::list_papers_by_author(std::string_view keyname,
                                                                      std::string_view forenames, int limit,
                                                                      int offset) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // As on SQLite: strpos() on the quoted keyname is a cheap prefilter before the exact comparison
  // of each author's fields.
  return read_all((*conn)->query(
      "SELECT " + std::string(sql::kPaperColumns) +
          " FROM papers p WHERE strpos(p.authors, $1) > 0 AND EXISTS (SELECT 1 FROM jsonb_array_elements("
          "p.authors::jsonb) a WHERE a->>0 = $2::text AND ($3::text = '' OR a->>1 = $3::text))" +
          std::string(sql::kNewestFirst) + " LIMIT $4 OFFSET $5",
      Params().text(encode_json_string(keyname)).text(keyname).text(forenames).int64(limit).int64(offset)));
}

Result<StoreStats> PostgresStore::stats() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  StoreStats out;
  auto version = current_schema_version(**conn, kStoreComponent);
  if (!version) return fail(version.error());
  out.schema_version = *version;
  {
    auto res = (*conn)->query(sql::kStatsTotals);
    if (!res) return fail(res.error());
    out.papers = res->int64(0, 0);
    out.max_change_seq = res->int64(0, 1);
    out.oldest_listing_day = res->text(0, 2);
    out.newest_listing_day = res->text(0, 3);
  }
  auto counts = [&](std::string_view sql, std::vector<NamedCount>& into) -> Status {
    auto res = (*conn)->query(sql);
    if (!res) return res.error();
    for (int r = 0; r < res->rows(); ++r) into.push_back({std::string(res->text(r, 0)), res->int64(r, 1)});
    return Status::ok();
  };
  if (Status s = counts(sql::kCountByPrimaryCategory, out.by_primary_category); !s.is_ok()) {
    return fail(s);
  }
  if (Status s = counts(sql::kCountByMonth, out.by_month); !s.is_ok()) {
    return fail(s);
  }
  return out;
}

Result<std::optional<std::string>> PostgresStore::get_state(std::string_view key) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query("SELECT value FROM state WHERE key = $1", Params().text(key));
  if (!res) return fail(res.error());
  if (res->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(res->text(0, 0)));
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresStore::list_state() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(sql::kAllState);
  if (!res) return fail(res.error());
  std::vector<std::pair<std::string, std::string>> out;
  for (int r = 0; r < res->rows(); ++r) out.emplace_back(std::string(res->text(r, 0)), std::string(res->text(r, 1)));
  return out;
}

Status PostgresStore::put_state(std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.state.emplace_back(std::string(key), std::string(value));
  auto r = apply(batch);
  return r ? Status::ok() : r.error();
}

Result<std::string> PostgresStore::put_state_if_absent(std::string_view key, std::string_view value) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // One statement: either our row goes in, or the conflict leaves the existing one, which the
  // second branch of the union returns. Concurrent callers all see the same winner.
  auto res = (*conn)->query(
      "WITH ins AS (INSERT INTO state(key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING "
      "RETURNING value) SELECT value FROM ins UNION ALL SELECT value FROM state WHERE key = $1 "
      "AND NOT EXISTS (SELECT 1 FROM ins)",
      Params().text(key).text(value));
  if (!res) return fail(res.error());
  if (res->rows() == 0) {
    // A concurrent insert committed after our snapshot: read it now.
    res = (*conn)->query("SELECT value FROM state WHERE key = $1", Params().text(key));
    if (!res) return fail(res.error());
    if (res->rows() == 0) return fail(Status::internal("state key vanished after insert"));
  }
  return std::string(res->text(0, 0));
}

Status PostgresStore::delete_state(std::string_view key) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  return (*conn)->run("DELETE FROM state WHERE key = $1", Params().text(key));
}

}  // namespace paperboy::store::postgres
