#include "store/sqlite/sqlite_library_store.h"

#include "store/sqlite/migrations.h"

namespace paperboy::store::sqlite {
namespace {

constexpr std::string_view kCollectionSelect =
    "SELECT c.id, c.account_id, c.name, c.is_public, c.is_default, c.created_at, "
    "(SELECT COUNT(*) FROM collection_papers p WHERE p.collection_id = c.id) FROM collections c WHERE ";
constexpr std::string_view kCommentSelect =
    "SELECT id, paper_id, account_id, body, created_at, edited_at, parent_id FROM comments WHERE ";
constexpr std::string_view kFollowSelect = "SELECT id, account_id, kind, value, created_at FROM follows WHERE ";

Collection read_collection(const Statement& st) {
  return Collection{.id = st.int64(0),
                    .account_id = st.int64(1),
                    .name = std::string(st.text(2)),
                    .is_public = st.int64(3) != 0,
                    .is_default = st.int64(4) != 0,
                    .created_at = st.int64(5),
                    .paper_count = st.int64(6)};
}

Comment read_comment(const Statement& st) {
  return Comment{.id = st.int64(0),
                 .paper_id = std::string(st.text(1)),
                 .account_id = st.int64(2),
                 .body = std::string(st.text(3)),
                 .created_at = st.int64(4),
                 .edited_at = st.int64(5),
                 .parent_id = st.int64(6)};
}

Result<std::vector<Comment>> read_comments(Statement& st) {
  std::vector<Comment> out;
  while (true) {
    auto row = st.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(read_comment(st));
  }
  return out;
}

Follow read_follow(const Statement& st) {
  return Follow{.id = st.int64(0),
                .account_id = st.int64(1),
                .kind = static_cast<FollowKind>(st.int64(2)),
                .value = std::string(st.text(3)),
                .created_at = st.int64(4)};
}

// "?,?,?" for n parameters (n >= 1).
std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ",?";
  return s;
}

// Runs `sql` with one integer parameter.
Status run_with_id(Connection& conn, std::string_view sql, std::int64_t id) {
  auto st = conn.prepare(sql);
  if (!st) return st.error();
  st->bind(1, id);
  return st->run();
}

}  // namespace

Result<std::unique_ptr<SqliteLibraryStore>> SqliteLibraryStore::open(const std::string& path, int cache_mib) {
  auto writer = Connection::open(path, std::max(8, cache_mib / 4));
  if (!writer) return fail(writer.error());
  if (Status s = migrate(**writer); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteLibraryStore>(
      new SqliteLibraryStore(path, std::max(8, cache_mib / 4), std::move(*writer)));
}

template <typename Bind>
Result<int> SqliteLibraryStore::write_one(std::string_view sql, Bind&& bind) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto st = writer_->prepare(sql);
  if (!st) return fail(st.error());
  bind(*st);
  if (Status s = st->run(); !s.is_ok()) return fail(s);
  int changed = sqlite3_changes(writer_->raw());
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  generation_.fetch_add(1);
  return changed;
}

Result<std::optional<Collection>> SqliteLibraryStore::find_collection(Connection& conn, std::string_view where,
                                                                      std::int64_t a, std::string_view b) {
  auto st = conn.prepare(std::string(kCollectionSelect) + std::string(where));
  if (!st) return fail(st.error());
  st->bind(1, a);
  if (!b.empty()) st->bind(2, b);
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Collection>();
  return std::optional<Collection>(read_collection(*st));
}

Result<Collection> SqliteLibraryStore::create_collection(std::int64_t account_id, std::string_view name, bool is_public,
                                                         std::int64_t now) {
  if (name == kDefaultCollectionName) {
    return fail(Status::already_exists("the name '" + std::string(name) + "' is the default collection's"));
  }
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto st = writer_->prepare(
      "INSERT INTO collections(account_id, name, is_public, is_default, created_at) VALUES(?,?,?,0,?) "
      "ON CONFLICT DO NOTHING");
  if (!st) return fail(st.error());
  st->bind(1, account_id).bind(2, name).bind(3, is_public ? 1 : 0).bind(4, now);
  if (Status s = st->run(); !s.is_ok()) return fail(s);
  if (sqlite3_changes(writer_->raw()) == 0) {
    return fail(Status::already_exists("you already have a collection named '" + std::string(name) + "'"));
  }
  auto made = find_collection(*writer_, "c.id = ?", sqlite3_last_insert_rowid(writer_->raw()), "");
  if (!made) return fail(made.error());
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  generation_.fetch_add(1);
  return std::move(**made);
}

Result<Collection> SqliteLibraryStore::default_collection(std::int64_t account_id, std::int64_t now) {
  {
    auto conn = readers_.acquire();
    if (!conn) return fail(conn.error());
    auto found = find_collection(**conn, "c.account_id = ? AND c.is_default = 1", account_id, "");
    if (!found) return fail(found.error());
    if (*found) return std::move(**found);
  }
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  // Two first saves at once: the partial unique index keeps one default; the other insert is a no-op.
  auto st = writer_->prepare(
      "INSERT INTO collections(account_id, name, is_public, is_default, created_at) VALUES(?,?,0,1,?) "
      "ON CONFLICT DO NOTHING");
  if (!st) return fail(st.error());
  st->bind(1, account_id).bind(2, kDefaultCollectionName).bind(3, now);
  if (Status s = st->run(); !s.is_ok()) return fail(s);
  auto made = find_collection(*writer_, "c.account_id = ? AND c.is_default = 1", account_id, "");
  if (!made) return fail(made.error());
  if (!*made) return fail(Status::internal("default collection missing after insert"));
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  return std::move(**made);
}

Result<std::optional<Collection>> SqliteLibraryStore::get_collection(std::int64_t id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  return find_collection(**conn, "c.id = ?", id, "");
}

Result<std::vector<Collection>> SqliteLibraryStore::collections_of(std::int64_t account_id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(std::string(kCollectionSelect) + "c.account_id = ? ORDER BY c.is_default DESC, c.name");
  if (!st) return fail(st.error());
  st->bind(1, account_id);
  std::vector<Collection> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(read_collection(*st));
  }
  return out;
}

Status SqliteLibraryStore::set_collection_public(std::int64_t id, bool is_public) {
  auto changed = write_one("UPDATE collections SET is_public = ? WHERE id = ?",
                           [&](Statement& s) { s.bind(1, is_public ? 1 : 0).bind(2, id); });
  if (!changed) return changed.error();
  return *changed == 0 ? Status::not_found("no collection " + std::to_string(id)) : Status::ok();
}

Status SqliteLibraryStore::delete_collection(std::int64_t id) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  PB_RETURN_IF_ERROR(run_with_id(*writer_, "DELETE FROM collection_papers WHERE collection_id = ?", id));
  PB_RETURN_IF_ERROR(run_with_id(*writer_, "DELETE FROM collections WHERE id = ?", id));
  if (sqlite3_changes(writer_->raw()) == 0) return Status::not_found("no collection " + std::to_string(id));
  PB_RETURN_IF_ERROR(tx->commit());
  generation_.fetch_add(1);
  return Status::ok();
}

Result<bool> SqliteLibraryStore::add_to_collection(std::int64_t collection_id, std::string_view paper_id,
                                                   std::int64_t now) {
  auto changed =
      write_one("INSERT INTO collection_papers(collection_id, paper_id, added_at) VALUES(?,?,?) ON CONFLICT DO NOTHING",
                [&](Statement& s) { s.bind(1, collection_id).bind(2, paper_id).bind(3, now); });
  if (!changed) return fail(changed.error());
  return *changed > 0;
}

Result<bool> SqliteLibraryStore::remove_from_collection(std::int64_t collection_id, std::string_view paper_id) {
  auto changed = write_one("DELETE FROM collection_papers WHERE collection_id = ? AND paper_id = ?",
                           [&](Statement& s) { s.bind(1, collection_id).bind(2, paper_id); });
  if (!changed) return fail(changed.error());
  return *changed > 0;
}

Result<std::vector<CollectionEntry>> SqliteLibraryStore::collection_entries(std::int64_t collection_id, int limit,
                                                                            int offset) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(
      "SELECT paper_id, added_at FROM collection_papers WHERE collection_id = ? "
      "ORDER BY added_at DESC, paper_id LIMIT ? OFFSET ?");
  if (!st) return fail(st.error());
  st->bind(1, collection_id).bind(2, limit).bind(3, offset);
  std::vector<CollectionEntry> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({std::string(st->text(0)), st->int64(1)});
  }
  return out;
}

Result<std::unordered_set<std::string>> SqliteLibraryStore::papers_in_collection(
    std::int64_t collection_id, std::span<const std::string> paper_ids) {
  std::unordered_set<std::string> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare("SELECT paper_id FROM collection_papers WHERE collection_id = ? AND paper_id IN (" +
                             placeholders(paper_ids.size()) + ")");
  if (!st) return fail(st.error());
  st->bind(1, collection_id);
  for (size_t i = 0; i < paper_ids.size(); ++i) st->bind(static_cast<int>(i) + 2, paper_ids[i]);
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.emplace(st->text(0));
  }
  return out;
}

Result<std::vector<std::int64_t>> SqliteLibraryStore::collections_with_paper(std::int64_t account_id,
                                                                             std::string_view paper_id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(
      "SELECT c.id FROM collections c JOIN collection_papers p ON p.collection_id = c.id "
      "WHERE c.account_id = ? AND p.paper_id = ? ORDER BY c.id");
  if (!st) return fail(st.error());
  st->bind(1, account_id).bind(2, paper_id);
  std::vector<std::int64_t> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(st->int64(0));
  }
  return out;
}

Result<Follow> SqliteLibraryStore::follow(std::int64_t account_id, FollowKind kind, std::string_view value,
                                          std::int64_t now) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto ins = writer_->prepare(
      "INSERT INTO follows(account_id, kind, value, created_at) VALUES(?,?,?,?) ON CONFLICT DO NOTHING");
  if (!ins) return fail(ins.error());
  ins->bind(1, account_id).bind(2, static_cast<int>(kind)).bind(3, value).bind(4, now);
  if (Status s = ins->run(); !s.is_ok()) return fail(s);
  auto st = writer_->prepare(std::string(kFollowSelect) + "account_id = ? AND kind = ? AND value = ?");
  if (!st) return fail(st.error());
  st->bind(1, account_id).bind(2, static_cast<int>(kind)).bind(3, value);
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Status::internal("follow missing after insert"));
  Follow out = read_follow(*st);
  st->reset();
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  generation_.fetch_add(1);
  return out;
}

Result<bool> SqliteLibraryStore::unfollow(std::int64_t account_id, FollowKind kind, std::string_view value) {
  auto changed = write_one("DELETE FROM follows WHERE account_id = ? AND kind = ? AND value = ?",
                           [&](Statement& s) { s.bind(1, account_id).bind(2, static_cast<int>(kind)).bind(3, value); });
  if (!changed) return fail(changed.error());
  return *changed > 0;
}

Result<std::vector<Follow>> SqliteLibraryStore::follows_of(std::int64_t account_id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(std::string(kFollowSelect) + "account_id = ? ORDER BY id");
  if (!st) return fail(st.error());
  st->bind(1, account_id);
  std::vector<Follow> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(read_follow(*st));
  }
  return out;
}

Result<Comment> SqliteLibraryStore::add_comment(std::string_view paper_id, std::int64_t account_id,
                                                std::string_view body, std::int64_t now, std::int64_t parent_id) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto st =
      writer_->prepare("INSERT INTO comments(paper_id, account_id, body, created_at, parent_id) VALUES(?,?,?,?,?)");
  if (!st) return fail(st.error());
  st->bind(1, paper_id).bind(2, account_id).bind(3, body).bind(4, now).bind(5, parent_id);
  if (Status s = st->run(); !s.is_ok()) return fail(s);
  std::int64_t id = sqlite3_last_insert_rowid(writer_->raw());
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  generation_.fetch_add(1);
  return Comment{.id = id,
                 .paper_id = std::string(paper_id),
                 .account_id = account_id,
                 .body = std::string(body),
                 .created_at = now,
                 .edited_at = 0,
                 .parent_id = parent_id};
}

Result<std::optional<Comment>> SqliteLibraryStore::get_comment(std::int64_t id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(std::string(kCommentSelect) + "id = ?");
  if (!st) return fail(st.error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Comment>();
  return std::optional<Comment>(read_comment(*st));
}

Status SqliteLibraryStore::edit_comment(std::int64_t id, std::string_view body, std::int64_t now) {
  auto changed = write_one("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?",
                           [&](Statement& s) { s.bind(1, body).bind(2, now).bind(3, id); });
  if (!changed) return changed.error();
  return *changed == 0 ? Status::not_found("no comment " + std::to_string(id)) : Status::ok();
}

Status SqliteLibraryStore::delete_comment(std::int64_t id) {
  auto changed = write_one("DELETE FROM comments WHERE id = ?", [&](Statement& s) { s.bind(1, id); });
  if (!changed) return changed.error();
  return *changed == 0 ? Status::not_found("no comment " + std::to_string(id)) : Status::ok();
}

Result<std::vector<Comment>> SqliteLibraryStore::comments_on(std::string_view paper_id, int limit) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(std::string(kCommentSelect) + "paper_id = ? ORDER BY id LIMIT ?");
  if (!st) return fail(st.error());
  st->bind(1, paper_id).bind(2, limit);
  return read_comments(*st);
}

Result<std::vector<Comment>> SqliteLibraryStore::comments_by(std::int64_t account_id, int limit) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(std::string(kCommentSelect) + "account_id = ? ORDER BY id DESC LIMIT ?");
  if (!st) return fail(st.error());
  st->bind(1, account_id).bind(2, limit);
  return read_comments(*st);
}

Result<std::unordered_map<std::string, std::int64_t>> SqliteLibraryStore::comment_counts(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, std::int64_t> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare("SELECT paper_id, COUNT(*) FROM comments WHERE paper_id IN (" +
                             placeholders(paper_ids.size()) + ") GROUP BY paper_id");
  if (!st) return fail(st.error());
  for (size_t i = 0; i < paper_ids.size(); ++i) st->bind(static_cast<int>(i) + 1, paper_ids[i]);
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.emplace(st->text(0), st->int64(1));
  }
  return out;
}

Status SqliteLibraryStore::delete_account_data(std::int64_t account_id) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  PB_RETURN_IF_ERROR(run_with_id(
      *writer_,
      "DELETE FROM collection_papers WHERE collection_id IN (SELECT id FROM collections WHERE account_id = ?)",
      account_id));
  PB_RETURN_IF_ERROR(run_with_id(*writer_, "DELETE FROM collections WHERE account_id = ?", account_id));
  PB_RETURN_IF_ERROR(run_with_id(*writer_, "DELETE FROM follows WHERE account_id = ?", account_id));
  PB_RETURN_IF_ERROR(run_with_id(*writer_, "DELETE FROM comments WHERE account_id = ?", account_id));
  PB_RETURN_IF_ERROR(tx->commit());
  generation_.fetch_add(1);
  return Status::ok();
}

}  // namespace paperboy::store::sqlite
