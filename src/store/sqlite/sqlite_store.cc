#include "store/sqlite/sqlite_store.h"

#include <bit>

#include "core/time.h"
#include "store/paper_codec.h"
#include "store/shared_sql.h"
#include "store/sqlite/migrations.h"
#include "store/upsert_rules.h"

namespace paperboy::store::sqlite {
namespace {

Result<StoredPaper> read_paper(const Statement& row) {
  StoredPaper out;
  out.doc_id = row.int64(0);
  out.change_seq = row.int64(1);
  core::Paper& p = out.paper;
  p.id = row.text(2);
  p.title = row.text(3);
  p.abstract = row.text(4);
  if (Status s = decode_authors(row.text(5), p.authors); !s.is_ok()) return fail(s.with_context(p.id));
  if (Status s = decode_categories(row.text(6), p.categories); !s.is_ok()) return fail(s.with_context(p.id));
  p.comments = row.text(7);
  p.journal_ref = row.text(8);
  p.doi = row.text(9);
  p.report_no = row.text(10);
  p.license = row.text(11);
  p.submitter = row.text(12);
  if (Status s = decode_versions(row.text(13), p.versions); !s.is_ok()) return fail(s.with_context(p.id));
  p.update_date = row.text(14);
  return out;
}

Result<std::vector<StoredPaper>> read_all(Statement& stmt) {
  std::vector<StoredPaper> out;
  for (;;) {
    auto more = stmt.step();
    if (!more) return fail(more.error());
    if (!*more) return out;
    auto paper = read_paper(stmt);
    if (!paper) return fail(paper.error());
    out.push_back(std::move(*paper));
  }
}

// The WHERE clause of a listing query; parameters are bound by bind_listing in the same order.
std::string listing_where(const ListingQuery& q) {
  std::string w = " WHERE 1=1";
  if (!q.from_day.empty()) w += " AND listing_day >= ?";
  if (!q.to_day.empty()) w += " AND listing_day <= ?";
  if (!q.categories.empty()) {
    w += " AND doc_id IN (SELECT doc_id FROM paper_categories WHERE category IN (";
    for (size_t i = 0; i < q.categories.size(); ++i) w += i == 0 ? "?" : ",?";
    w += "))";
  }
  // One JSON array parameter: one cached statement whatever the number of excluded papers.
  if (!q.exclude_ids.empty()) w += " AND id NOT IN (SELECT value FROM json_each(?))";
  return w;
}

// `exclude_json` holds the bound exclusion list; it must outlive the statement's steps.
int bind_listing(Statement& stmt, const ListingQuery& q, std::string& exclude_json) {
  int i = 1;
  if (!q.from_day.empty()) stmt.bind(i++, q.from_day);
  if (!q.to_day.empty()) stmt.bind(i++, q.to_day);
  for (const auto& c : q.categories) stmt.bind(i++, c);
  if (!q.exclude_ids.empty()) {
    exclude_json = encode_categories(q.exclude_ids);  // a JSON array of strings, as json_each reads
    stmt.bind(i++, exclude_json);
  }
  return i;
}

Result<std::optional<StoredPaper>> load_paper(Connection& conn, std::string_view id) {
  auto stmt = conn.prepare("SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE id = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, id);
  auto rows = read_all(*stmt);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<StoredPaper>();
  return std::optional<StoredPaper>(std::move(rows->front()));
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, int cache_mib) {
  auto writer = Connection::open(path, cache_mib);
  if (!writer) return fail(writer.error());
  if (Status s = migrate(**writer); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, cache_mib, std::move(*writer)));
}

Result<UpsertOutcome> SqliteStore::upsert_one(const core::Paper& incoming, std::int64_t& next_seq) {
  Connection& db = *writer_;
  auto existing_stmt = db.prepare("SELECT " + std::string(sql::kStoredSummaryColumns) + " FROM papers WHERE id = ?");
  if (!existing_stmt) return fail(existing_stmt.error());
  existing_stmt->bind(1, incoming.id);
  auto found = existing_stmt->step();
  if (!found) return fail(found.error());

  const core::Paper* to_write = &incoming;
  UpsertDecision decision;
  std::int64_t doc_id = 0;
  if (*found) {
    doc_id = existing_stmt->int64(0);
    StoredSummary existing{.latest_version = static_cast<int>(existing_stmt->int64(1)),
                           .update_date = std::string(existing_stmt->text(2)),
                           .content_hash = std::bit_cast<std::uint64_t>(existing_stmt->int64(3))};
    if (Status s = decode_versions(existing_stmt->text(4), existing.versions); !s.is_ok()) return fail(s);
    auto decided = decide_upsert(incoming, existing, [&]() -> Result<core::Paper> {
      // Rare path: read the full record inside this transaction (it may be from this batch).
      auto current = load_paper(db, incoming.id);
      if (!current) return fail(current.error());
      if (!*current) return fail(Status::internal("paper vanished during upsert: " + incoming.id));
      return std::move((*current)->paper);
    });
    if (!decided) return fail(decided.error());
    if (decided->outcome != UpsertOutcome::kUpdated) return decided->outcome;
    decision = std::move(*decided);
    to_write = &decision.to_write;
  }

  const core::Paper& p = *to_write;
  std::string authors = encode_authors(p.authors);
  std::string categories = encode_categories(p.categories);
  std::string versions = encode_versions(p.versions);
  std::string listing_day = p.listing_day();
  auto hash = std::bit_cast<std::int64_t>(p.content_hash());
  std::int64_t seq = next_seq++;

  auto write = db.prepare(
      *found ? "UPDATE papers SET title=?1, abstract=?2, authors=?3, categories=?4, primary_category=?5, "
               "comments=?6, journal_ref=?7, doi=?8, report_no=?9, license=?10, submitter=?11, versions=?12, "
               "latest_version=?13, published=?14, listing_day=?15, update_date=?16, content_hash=?17, "
               "change_seq=?18, stored_at=?19 WHERE doc_id=?20"
             : "INSERT INTO papers(title, abstract, authors, categories, primary_category, comments, journal_ref, "
               "doi, report_no, license, submitter, versions, latest_version, published, listing_day, "
               "update_date, content_hash, change_seq, stored_at, id) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)");
  if (!write) return fail(write.error());
  write->bind(1, p.title)
      .bind(2, p.abstract)
      .bind(3, authors)
      .bind(4, categories)
      .bind(5, p.primary_category())
      .bind_optional(6, p.comments)
      .bind_optional(7, p.journal_ref)
      .bind_optional(8, p.doi)
      .bind_optional(9, p.report_no)
      .bind_optional(10, p.license)
      .bind_optional(11, p.submitter)
      .bind(12, versions)
      .bind(13, p.latest_version())
      .bind(14, p.first_version_time())
      .bind(15, listing_day)
      .bind(16, p.update_date)
      .bind(17, hash)
      .bind(18, seq)
      .bind(19, core::unix_now());
  if (*found) {
    write->bind(20, doc_id);
  } else {
    write->bind(20, p.id);
  }
  if (Status s = write->run(); !s.is_ok()) return fail(s.with_context(p.id));
  if (!*found) doc_id = sqlite3_last_insert_rowid(db.raw());

  if (*found) {
    auto del = db.prepare("DELETE FROM paper_categories WHERE doc_id = ?");
    if (!del) return fail(del.error());
    del->bind(1, doc_id);
    if (Status s = del->run(); !s.is_ok()) return fail(s);
  }
  auto cat = db.prepare("INSERT OR IGNORE INTO paper_categories(category, doc_id, is_primary) VALUES(?,?,?)");
  if (!cat) return fail(cat.error());
  for (size_t i = 0; i < p.categories.size(); ++i) {
    cat->bind(1, p.categories[i]).bind(2, doc_id).bind(3, i == 0 ? 1 : 0);
    if (Status s = cat->run(); !s.is_ok()) return fail(s);  // run() leaves it reset for the next row
  }
  return *found ? UpsertOutcome::kUpdated : UpsertOutcome::kInserted;
}

Result<BatchResult> SqliteStore::apply(const WriteBatch& batch) {
  for (size_t i = 0; i < batch.papers.size(); ++i) {
    if (Status s = core::validate_paper(batch.papers[i]); !s.is_ok()) {
      return fail(s.with_context("paper " + batch.papers[i].id));
    }
  }
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  std::int64_t next_seq = 0;
  {
    auto seq_stmt = writer_->prepare(sql::kMaxChangeSeq);
    if (!seq_stmt) return fail(seq_stmt.error());
    auto row = seq_stmt->step();
    if (!row) return fail(row.error());
    next_seq = seq_stmt->int64(0) + 1;
  }

  BatchResult result;
  result.outcomes.reserve(batch.papers.size());
  for (const auto& paper : batch.papers) {
    auto outcome = upsert_one(paper, next_seq);
    if (!outcome) return fail(outcome.error());
    record_outcome(result, *outcome);
  }
  auto put = writer_->prepare(
      "INSERT INTO state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!put) return fail(put.error());
  for (const auto& [key, value] : batch.state) {
    put->bind(1, key).bind(2, value);
    if (Status s = put->run(); !s.is_ok()) return fail(s);
  }
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  return result;
}

Result<std::optional<StoredPaper>> SqliteStore::get_paper(std::string_view id) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  return load_paper(**conn, id);
}

Result<std::optional<StoredPaper>> SqliteStore::get_paper_by_doi(std::string_view doi) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  // lower(doi) as written is what the papers_doi index holds (migration 8).
  auto stmt = (*conn)->prepare("SELECT " + std::string(sql::kPaperColumns) +
                               " FROM papers WHERE lower(doi) = lower(?) ORDER BY doc_id LIMIT 1");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, doi);
  auto rows = read_all(*stmt);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<StoredPaper>();
  return std::optional<StoredPaper>(std::move(rows->front()));
}

Result<std::vector<StoredPaper>> SqliteStore::get_papers_by_doc_id(std::span<const std::int64_t> doc_ids) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(sql::kPaperColumns) + " FROM papers WHERE doc_id = ?");
  if (!stmt) return fail(stmt.error());
  std::vector<StoredPaper> out;
  out.reserve(doc_ids.size());
  for (std::int64_t id : doc_ids) {
    stmt->bind(1, id);
    auto more = stmt->step();
    if (!more) return fail(more.error());
    if (*more) {
      auto p = read_paper(*stmt);
      if (!p) return fail(p.error());
      out.push_back(std::move(*p));
    }
    stmt->reset();
  }
  return out;
}

Result<std::vector<StoredPaper>> SqliteStore::papers_changed_since(std::int64_t after_seq, int limit) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(sql::kPaperColumns) +
                               " FROM papers WHERE change_seq > ? ORDER BY change_seq LIMIT ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, after_seq).bind(2, limit);
  return read_all(*stmt);
}

Result<std::int64_t> SqliteStore::max_change_seq() {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(sql::kMaxChangeSeq);
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return stmt->int64(0);
}

Result<std::vector<StoredPaper>> SqliteStore::list_papers(const ListingQuery& query) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(sql::kPaperColumns) + " FROM papers" + listing_where(query) +
                               std::string(sql::kNewestFirst) + " LIMIT ? OFFSET ?");
  if (!stmt) return fail(stmt.error());
  std::string exclude_json;
  int i = bind_listing(*stmt, query, exclude_json);
  stmt->bind(i, query.limit).bind(i + 1, query.offset);
  return read_all(*stmt);
}

Result<std::int64_t> SqliteStore::count_papers(const ListingQuery& query) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT COUNT(*) FROM papers" + listing_where(query));
  if (!stmt) return fail(stmt.error());
  std::string exclude_json;
  bind_listing(*stmt, query, exclude_json);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return stmt->int64(0);
}

Result<std::string> SqliteStore::newest_listing_day() {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(sql::kNewestListingDay);
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return std::string(stmt->text(0));
}

Result<std::pair<std::string, std::string>> SqliteStore::neighbour_listing_days(std::string_view day) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  // Both sub-selects walk the papers_listing index from `day`, so this is two index probes.
  auto stmt = (*conn)->prepare(
      "SELECT (SELECT COALESCE(MAX(listing_day), '') FROM papers WHERE listing_day < ?1),"
      " (SELECT COALESCE(MIN(listing_day), '') FROM papers WHERE listing_day > ?1)");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, day);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return std::pair<std::string, std::string>(std::string(stmt->text(0)), std::string(stmt->text(1)));
}

Result<std::vector<StoredPaper>> SqliteStore::list_papers_by_author(std::string_view keyname,
                                                                    std::string_view forenames, int limit, int offset) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  // Authors are a JSON column; instr() on the quoted keyname is a cheap prefilter before the exact
  // json_each comparison. An author index table would be the next step if author pages get hot.
  auto stmt = (*conn)->prepare(
      "SELECT " + std::string(sql::kPaperColumns) +
      " FROM papers p WHERE instr(p.authors, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(p.authors) a"
      " WHERE json_extract(a.value, '$[0]') = ?2 AND (?3 = '' OR json_extract(a.value, '$[1]') = ?3))" +
      std::string(sql::kNewestFirst) + " LIMIT ?4 OFFSET ?5");
  if (!stmt) return fail(stmt.error());
  std::string quoted = encode_json_string(keyname);  // as encode_authors writes it
  stmt->bind(1, quoted).bind(2, keyname).bind(3, forenames).bind(4, limit).bind(5, offset);
  return read_all(*stmt);
}

Result<StoreStats> SqliteStore::stats() {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  StoreStats out;
  auto version = current_schema_version(**conn);
  if (!version) return fail(version.error());
  out.schema_version = *version;
  {
    auto stmt = (*conn)->prepare(sql::kStatsTotals);
    if (!stmt) return fail(stmt.error());
    auto row = stmt->step();
    if (!row) return fail(row.error());
    out.papers = stmt->int64(0);
    out.max_change_seq = stmt->int64(1);
    out.oldest_listing_day = stmt->text(2);
    out.newest_listing_day = stmt->text(3);
  }
  auto counts = [&](std::string_view sql, std::vector<NamedCount>& into) -> Status {
    auto stmt = (*conn)->prepare(sql);
    if (!stmt) return stmt.error();
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) return Status::ok();
      into.push_back({std::string(stmt->text(0)), stmt->int64(1)});
    }
  };
  if (Status s = counts(sql::kCountByPrimaryCategory, out.by_primary_category); !s.is_ok()) {
    return fail(s);
  }
  if (Status s = counts(sql::kCountByMonth, out.by_month); !s.is_ok()) {
    return fail(s);
  }
  return out;
}

Result<std::optional<std::string>> SqliteStore::get_state(std::string_view key) {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT value FROM state WHERE key = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, key);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stmt->text(0)));
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::list_state() {
  auto conn = read_connection();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(sql::kAllState);
  if (!stmt) return fail(stmt.error());
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    out.emplace_back(std::string(stmt->text(0)), std::string(stmt->text(1)));
  }
}

Status SqliteStore::put_state(std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.state.emplace_back(std::string(key), std::string(value));
  auto r = apply(batch);
  return r ? Status::ok() : r.error();
}

Status SqliteStore::delete_state(std::string_view key) {
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->prepare("DELETE FROM state WHERE key = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, key);
  return stmt->run();
}

Result<std::string> SqliteStore::put_state_if_absent(std::string_view key, std::string_view value) {
  std::lock_guard lock(write_mu_);
  auto insert = writer_->prepare("INSERT OR IGNORE INTO state(key, value) VALUES (?, ?)");
  if (!insert) return fail(insert.error());
  insert->bind(1, key);
  insert->bind(2, value);
  if (Status s = insert->run(); !s.is_ok()) return fail(s);
  auto select = writer_->prepare("SELECT value FROM state WHERE key = ?");
  if (!select) return fail(select.error());
  select->bind(1, key);
  auto row = select->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Status::internal("state key vanished after insert"));
  return std::string(select->text(0));
}

}  // namespace paperboy::store::sqlite
