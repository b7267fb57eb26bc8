#include "store/sqlite/sqlite_community_store.h"

#include "store/sqlite/migrations.h"

namespace paperboy::store::sqlite {
namespace {

constexpr std::string_view kAccountColumns = "id, email, name, role, created_at, password_hash";

AccountCredentials read_account(const Statement& row) {
  AccountCredentials c;
  c.account.id = row.int64(0);
  c.account.email = row.text(1);
  c.account.name = row.text(2);
  c.account.role = static_cast<Role>(row.int64(3));
  c.account.created_at = row.int64(4);
  c.password_hash = row.text(5);
  return c;
}

Result<std::optional<AccountCredentials>> one_account(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<AccountCredentials>();
  return std::optional<AccountCredentials>(read_account(stmt));
}

// "?,?,?" for n parameters (n >= 1).
std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ",?";
  return s;
}

}  // namespace

Result<std::unique_ptr<SqliteCommunityStore>> SqliteCommunityStore::open(const std::string& path, int cache_mib) {
  auto writer = Connection::open(path, std::max(8, cache_mib / 4));
  if (!writer) return fail(writer.error());
  if (Status s = migrate(**writer); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteCommunityStore>(
      new SqliteCommunityStore(path, std::max(8, cache_mib / 4), std::move(*writer)));
}

template <typename Bind>
Status SqliteCommunityStore::write_one(std::string_view sql, Bind&& bind) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  auto stmt = writer_->prepare(sql);
  if (!stmt) return stmt.error();
  bind(*stmt);
  PB_RETURN_IF_ERROR(stmt->run());
  return tx->commit();
}

Result<std::int64_t> SqliteCommunityStore::create_account(std::string_view email, std::string_view name,
                                                          std::string_view password_hash, Role role, std::int64_t now) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto stmt = writer_->prepare(
      "INSERT INTO accounts(email, name, password_hash, role, created_at) VALUES(?,?,?,?,?) "
      "ON CONFLICT(email) DO NOTHING");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, email).bind(2, name).bind(3, password_hash).bind(4, static_cast<int>(role)).bind(5, now);
  if (Status s = stmt->run(); !s.is_ok()) return fail(s);
  if (sqlite3_changes(writer_->raw()) == 0) return fail(Status::already_exists("an account with this email exists"));
  std::int64_t id = sqlite3_last_insert_rowid(writer_->raw());
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  return id;
}

Result<std::optional<AccountCredentials>> SqliteCommunityStore::find_account_by_email(std::string_view email) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE email = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, email);
  return one_account(*stmt);
}

Result<std::optional<AccountCredentials>> SqliteCommunityStore::get_account(std::int64_t id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE id = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, id);
  return one_account(*stmt);
}

Result<std::optional<Account>> SqliteCommunityStore::find_account_by_name(std::string_view name) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt =
      (*conn)->prepare("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE name = ? ORDER BY id LIMIT 1");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, name);
  auto found = one_account(*stmt);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Account>();
  return std::optional<Account>(std::move((*found)->account));
}

Status SqliteCommunityStore::set_password_hash(std::int64_t account_id, std::string_view password_hash) {
  return write_one("UPDATE accounts SET password_hash = ? WHERE id = ?",
                   [&](Statement& s) { s.bind(1, password_hash).bind(2, account_id); });
}

Status SqliteCommunityStore::set_role(std::int64_t account_id, Role role) {
  return write_one("UPDATE accounts SET role = ? WHERE id = ?",
                   [&](Statement& s) { s.bind(1, static_cast<int>(role)).bind(2, account_id); });
}

Status SqliteCommunityStore::delete_account(std::int64_t account_id) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  // Votes leave the counts first; sessions, tokens and vote rows go with the account (CASCADE).
  auto dec = writer_->prepare(
      "UPDATE paper_votes SET upvotes = upvotes - 1 WHERE paper_id IN (SELECT paper_id FROM votes WHERE account_id = "
      "?)");
  if (!dec) return dec.error();
  dec->bind(1, account_id);
  PB_RETURN_IF_ERROR(dec->run());
  // Its mail subscriptions (personal digests) go too, with their outbox rows (CASCADE): nothing
  // keeps mailing, or keeps the address of, an account that is gone.
  auto subs = writer_->prepare("DELETE FROM mail_subscriptions WHERE account_id = ?");
  if (!subs) return subs.error();
  subs->bind(1, account_id);
  PB_RETURN_IF_ERROR(subs->run());
  auto del = writer_->prepare("DELETE FROM accounts WHERE id = ?");
  if (!del) return del.error();
  del->bind(1, account_id);
  PB_RETURN_IF_ERROR(del->run());
  if (sqlite3_changes(writer_->raw()) == 0) return Status::not_found("no account " + std::to_string(account_id));
  PB_RETURN_IF_ERROR(tx->commit());
  vote_generation_.fetch_add(1);
  return Status::ok();
}

Status SqliteCommunityStore::create_session(std::string_view id_hash, std::int64_t account_id,
                                            std::int64_t expires_at) {
  return write_one("INSERT INTO sessions(id_hash, account_id, expires_at) VALUES(?,?,?)",
                   [&](Statement& s) { s.bind(1, id_hash).bind(2, account_id).bind(3, expires_at); });
}

Result<std::optional<Account>> SqliteCommunityStore::account_by(std::string_view sql, std::string_view key,
                                                                std::int64_t now) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(sql);
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, key).bind(2, now);
  auto found = one_account(*stmt);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Account>();
  return std::optional<Account>(std::move((*found)->account));
}

Result<std::optional<Account>> SqliteCommunityStore::session_account(std::string_view id_hash, std::int64_t now) {
  return account_by(
      "SELECT a.id, a.email, a.name, a.role, a.created_at, '' FROM sessions s JOIN accounts a "
      "ON a.id = s.account_id WHERE s.id_hash = ? AND s.expires_at > ?",
      id_hash, now);
}

Status SqliteCommunityStore::delete_session(std::string_view id_hash) {
  return write_one("DELETE FROM sessions WHERE id_hash = ?", [&](Statement& s) { s.bind(1, id_hash); });
}

Status SqliteCommunityStore::delete_sessions_of(std::int64_t account_id) {
  return write_one("DELETE FROM sessions WHERE account_id = ?", [&](Statement& s) { s.bind(1, account_id); });
}

Status SqliteCommunityStore::create_api_token(std::string_view token_hash, std::int64_t account_id,
                                              std::string_view label, std::int64_t now) {
  return write_one("INSERT INTO api_tokens(token_hash, account_id, label, created_at) VALUES(?,?,?,?)",
                   [&](Statement& s) { s.bind(1, token_hash).bind(2, account_id).bind(3, label).bind(4, now); });
}

Result<std::optional<Account>> SqliteCommunityStore::token_account(std::string_view token_hash) {
  return account_by(
      "SELECT a.id, a.email, a.name, a.role, a.created_at, '' FROM api_tokens t JOIN accounts a "
      "ON a.id = t.account_id WHERE t.token_hash = ? AND ? >= 0",
      token_hash, 0);
}

Status SqliteCommunityStore::delete_api_tokens_of(std::int64_t account_id) {
  return write_one("DELETE FROM api_tokens WHERE account_id = ?", [&](Statement& s) { s.bind(1, account_id); });
}

Result<AttemptCount> SqliteCommunityStore::attempts(std::string_view key, std::int64_t now, std::int64_t window_s) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT count, last_at FROM attempt_counts WHERE key = ? AND last_at > ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, key).bind(2, now - window_s);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return *row ? AttemptCount{stmt->int64(0), stmt->int64(1)} : AttemptCount{};
}

Result<AttemptCount> SqliteCommunityStore::add_attempt(std::string_view key, std::int64_t now, std::int64_t window_s) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  auto stmt = writer_->prepare(
      "INSERT INTO attempt_counts(key, count, last_at) VALUES(?1, 1, ?2) ON CONFLICT(key) DO UPDATE SET "
      "count = CASE WHEN attempt_counts.last_at <= ?2 - ?3 THEN 1 ELSE attempt_counts.count + 1 END, last_at = ?2 "
      "RETURNING count, last_at");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, key).bind(2, now).bind(3, window_s);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  AttemptCount out{stmt->int64(0), stmt->int64(1)};
  stmt->reset();
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  return out;
}

Status SqliteCommunityStore::clear_attempts(std::string_view key) {
  return write_one("DELETE FROM attempt_counts WHERE key = ?", [&](Statement& s) { s.bind(1, key); });
}

Result<VoteOutcome> SqliteCommunityStore::set_vote(std::int64_t account_id, std::string_view paper_id,
                                                   std::int64_t published, bool up, std::int64_t now) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  // The primary key (account_id, paper_id) makes a second vote a no-op; the count moves only when
  // a row was really inserted or deleted, inside the same transaction.
  auto change = writer_->prepare(up ? "INSERT INTO votes(account_id, paper_id, voted_at) VALUES(?,?,?) "
                                      "ON CONFLICT(account_id, paper_id) DO NOTHING"
                                    : "DELETE FROM votes WHERE account_id = ? AND paper_id = ? AND ? >= 0");
  if (!change) return fail(change.error());
  change->bind(1, account_id).bind(2, paper_id).bind(3, now);
  if (Status s = change->run(); !s.is_ok()) return fail(s);
  bool changed = sqlite3_changes(writer_->raw()) > 0;
  if (changed) {
    // An upsert for a new vote; a plain decrement for a removed one (an insert with -1 would trip
    // the CHECK before the conflict clause runs).
    auto count = writer_->prepare(up ? "INSERT INTO paper_votes(paper_id, upvotes, published) VALUES(?1, 1, ?2) "
                                       "ON CONFLICT(paper_id) DO UPDATE SET upvotes = upvotes + 1"
                                     : "UPDATE paper_votes SET upvotes = upvotes - 1 WHERE paper_id = ?1 AND ?2 >= 0");
    if (!count) return fail(count.error());
    count->bind(1, paper_id).bind(2, published);
    if (Status s = count->run(); !s.is_ok()) return fail(s);
  }
  auto read = writer_->prepare("SELECT upvotes FROM paper_votes WHERE paper_id = ?");
  if (!read) return fail(read.error());
  read->bind(1, paper_id);
  auto row = read->step();
  if (!row) return fail(row.error());
  VoteOutcome out{*row ? read->int64(0) : 0, up};
  read->reset();
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  if (changed) vote_generation_.fetch_add(1);
  return out;
}

Result<std::unordered_map<std::string, std::int64_t>> SqliteCommunityStore::vote_counts(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, std::int64_t> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT paper_id, upvotes FROM paper_votes WHERE paper_id IN (" +
                               placeholders(paper_ids.size()) + ")");
  if (!stmt) return fail(stmt.error());
  for (size_t i = 0; i < paper_ids.size(); ++i) stmt->bind(static_cast<int>(i + 1), paper_ids[i]);
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out[std::string(stmt->text(0))] = stmt->int64(1);
  }
  return out;
}

Result<std::unordered_set<std::string>> SqliteCommunityStore::voted_papers(std::int64_t account_id,
                                                                           std::span<const std::string> paper_ids) {
  std::unordered_set<std::string> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT paper_id FROM votes WHERE account_id = ? AND paper_id IN (" +
                               placeholders(paper_ids.size()) + ")");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, account_id);
  for (size_t i = 0; i < paper_ids.size(); ++i) stmt->bind(static_cast<int>(i + 2), paper_ids[i]);
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.insert(std::string(stmt->text(0)));
  }
  return out;
}

Result<std::vector<std::string>> SqliteCommunityStore::papers_voted_by(std::int64_t account_id, int limit) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt =
      (*conn)->prepare("SELECT paper_id FROM votes WHERE account_id = ? ORDER BY voted_at DESC, paper_id DESC LIMIT ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, account_id).bind(2, static_cast<std::int64_t>(limit));
  return stmt->texts(0);
}

Result<std::vector<PaperVotes>> SqliteCommunityStore::voted_papers_published_between(std::int64_t from,
                                                                                     std::int64_t to) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(
      "SELECT paper_id, upvotes, published FROM paper_votes WHERE published BETWEEN ? AND ? AND upvotes > 0");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, from).bind(2, to);
  std::vector<PaperVotes> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({std::string(stmt->text(0)), stmt->int64(1), stmt->int64(2)});
  }
  return out;
}

}  // namespace paperboy::store::sqlite
