#include "store/postgres/postgres_community_store.h"

#include "store/postgres/pg_migrations.h"

namespace paperboy::store::postgres {
namespace {

AccountCredentials read_account(const PgResult& res, int row) {
  AccountCredentials c;
  c.account.id = res.int64(row, 0);
  c.account.email = res.text(row, 1);
  c.account.name = res.text(row, 2);
  c.account.role = static_cast<Role>(res.int64(row, 3));
  c.account.created_at = res.int64(row, 4);
  c.password_hash = res.text(row, 5);
  return c;
}

std::vector<std::string> to_vector(std::span<const std::string> ids) {
  return {ids.begin(), ids.end()};
}

Status as_status(const Result<PgResult>& res) {
  return res ? Status::ok() : res.error();
}

// The vote change and the count change in one statement (see the header). The last SELECT reads
// the count the statement produced, or, when nothing changed, the count as the statement saw it.
constexpr std::string_view kVoteUp = R"sql(
WITH changed AS (
  INSERT INTO votes(account_id, paper_id, voted_at) VALUES ($1, $2, $3)
  ON CONFLICT (account_id, paper_id) DO NOTHING RETURNING paper_id),
counted AS (
  INSERT INTO paper_votes(paper_id, upvotes, published) SELECT paper_id, 1, $4::bigint FROM changed
  ON CONFLICT (paper_id) DO UPDATE SET upvotes = paper_votes.upvotes + 1 RETURNING upvotes)
SELECT COALESCE((SELECT upvotes FROM counted), (SELECT upvotes FROM paper_votes WHERE paper_id = $2), 0),
       (SELECT count(*) FROM changed))sql";
constexpr std::string_view kVoteDown = R"sql(
WITH changed AS (
  DELETE FROM votes WHERE account_id = $1 AND paper_id = $2 RETURNING paper_id),
counted AS (
  UPDATE paper_votes p SET upvotes = p.upvotes - 1 FROM changed WHERE p.paper_id = changed.paper_id
  RETURNING p.upvotes)
SELECT COALESCE((SELECT upvotes FROM counted), (SELECT upvotes FROM paper_votes WHERE paper_id = $2), 0),
       (SELECT count(*) FROM changed))sql";

}  // namespace

Result<std::unique_ptr<PostgresCommunityStore>> PostgresCommunityStore::open(const std::string& url, int pool_size) {
  std::unique_ptr<PostgresCommunityStore> store(new PostgresCommunityStore(url, pool_size));
  auto conn = store->pool_.acquire();
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kCommunityComponent, community_migrations()); !s.is_ok()) {
    return fail(s.with_context(redact_url(url)));
  }
  return store;
}

Result<PgResult> PostgresCommunityStore::query(std::string_view sql, const Params& params) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return (*conn)->query(sql, params);
}

Result<std::optional<AccountCredentials>> PostgresCommunityStore::one_account(std::string_view sql,
                                                                              const Params& params) {
  auto res = query(sql, params);
  if (!res) return fail(res.error());
  if (res->rows() == 0) return std::optional<AccountCredentials>();
  return std::optional<AccountCredentials>(read_account(*res, 0));
}

Result<std::int64_t> PostgresCommunityStore::create_account(std::string_view email, std::string_view name,
                                                            std::string_view password_hash, Role role,
                                                            std::int64_t now) {
  auto res = query(
      "INSERT INTO accounts(email, name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (email) DO NOTHING RETURNING id",
      Params().text(email).text(name).text(password_hash).int64(static_cast<int>(role)).int64(now));
  if (!res) return fail(res.error());
  if (res->rows() == 0) return fail(Status::already_exists("an account with this email exists"));
  return res->int64(0, 0);
}

Result<std::optional<AccountCredentials>> PostgresCommunityStore::find_account_by_email(std::string_view email) {
  return one_account("SELECT id, email, name, role, created_at, password_hash FROM accounts WHERE email = $1",
                     Params().text(email));
}

Result<std::optional<AccountCredentials>> PostgresCommunityStore::get_account(std::int64_t id) {
  return one_account("SELECT id, email, name, role, created_at, password_hash FROM accounts WHERE id = $1",
                     Params().int64(id));
}

Result<std::optional<Account>> PostgresCommunityStore::find_account_by_name(std::string_view name) {
  auto found = one_account(
      "SELECT id, email, name, role, created_at, password_hash FROM accounts WHERE name = $1 ORDER BY id LIMIT 1",
      Params().text(name));
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Account>();
  return std::optional<Account>(std::move((*found)->account));
}

Status PostgresCommunityStore::set_password_hash(std::int64_t account_id, std::string_view password_hash) {
  return as_status(
      query("UPDATE accounts SET password_hash = $2 WHERE id = $1", Params().int64(account_id).text(password_hash)));
}

Status PostgresCommunityStore::set_role(std::int64_t account_id, Role role) {
  return as_status(
      query("UPDATE accounts SET role = $2 WHERE id = $1", Params().int64(account_id).int64(static_cast<int>(role))));
}

Status PostgresCommunityStore::delete_account(std::int64_t account_id) {
  bool found = false;
  Status s = run_transaction(pool_, Isolation::kReadCommitted, [&](PgConnection& conn) -> Status {
    // Locking the account first makes a vote of this account that is in flight (its foreign-key
    // check holds a share lock on the row) finish before we count, and a later one fail, so the
    // cascade below never removes a vote whose count we did not take back.
    auto locked = conn.query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE", Params().int64(account_id));
    if (!locked) return locked.error();
    found = locked->rows() > 0;
    if (!found) return Status::ok();
    PB_RETURN_IF_ERROR(
        conn.run("WITH gone AS (DELETE FROM votes WHERE account_id = $1 RETURNING paper_id) "
                 "UPDATE paper_votes p SET upvotes = p.upvotes - 1 FROM gone WHERE p.paper_id = gone.paper_id",
                 Params().int64(account_id)));
    // Its mail subscriptions (personal digests) go too, with their outbox rows (CASCADE). The mail
    // schema is migrated by the mail store; a database without it has no subscriptions to remove.
    auto has_mail = conn.query("SELECT to_regclass('mail_subscriptions') IS NOT NULL", Params());
    if (!has_mail) return has_mail.error();
    if (has_mail->rows() > 0 && has_mail->text(0, 0) == "t") {
      PB_RETURN_IF_ERROR(conn.run("DELETE FROM mail_subscriptions WHERE account_id = $1", Params().int64(account_id)));
    }
    return conn.run("DELETE FROM accounts WHERE id = $1", Params().int64(account_id));
  });
  if (!s.is_ok()) return s;
  if (!found) return Status::not_found("no account " + std::to_string(account_id));
  return bump_vote_generation();
}

Status PostgresCommunityStore::create_session(std::string_view id_hash, std::int64_t account_id,
                                              std::int64_t expires_at) {
  return as_status(query("INSERT INTO sessions(id_hash, account_id, expires_at) VALUES ($1, $2, $3)",
                         Params().text(id_hash).int64(account_id).int64(expires_at)));
}

Result<std::optional<Account>> PostgresCommunityStore::session_account(std::string_view id_hash, std::int64_t now) {
  auto found = one_account(
      "SELECT a.id, a.email, a.name, a.role, a.created_at, '' FROM sessions s JOIN accounts a ON a.id = s.account_id "
      "WHERE s.id_hash = $1 AND s.expires_at > $2",
      Params().text(id_hash).int64(now));
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Account>();
  return std::optional<Account>(std::move((*found)->account));
}

Status PostgresCommunityStore::delete_session(std::string_view id_hash) {
  return as_status(query("DELETE FROM sessions WHERE id_hash = $1", Params().text(id_hash)));
}

Status PostgresCommunityStore::delete_sessions_of(std::int64_t account_id) {
  return as_status(query("DELETE FROM sessions WHERE account_id = $1", Params().int64(account_id)));
}

Status PostgresCommunityStore::create_api_token(std::string_view token_hash, std::int64_t account_id,
                                                std::string_view label, std::int64_t now) {
  return as_status(query("INSERT INTO api_tokens(token_hash, account_id, label, created_at) VALUES ($1, $2, $3, $4)",
                         Params().text(token_hash).int64(account_id).text(label).int64(now)));
}

Result<std::optional<Account>> PostgresCommunityStore::token_account(std::string_view token_hash) {
  auto found = one_account(
      "SELECT a.id, a.email, a.name, a.role, a.created_at, '' FROM api_tokens t JOIN accounts a "
      "ON a.id = t.account_id WHERE t.token_hash = $1",
      Params().text(token_hash));
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Account>();
  return std::optional<Account>(std::move((*found)->account));
}

Status PostgresCommunityStore::delete_api_tokens_of(std::int64_t account_id) {
  return as_status(query("DELETE FROM api_tokens WHERE account_id = $1", Params().int64(account_id)));
}

Result<AttemptCount> PostgresCommunityStore::attempts(std::string_view key, std::int64_t now, std::int64_t window_s) {
  auto res = query("SELECT count, last_at FROM attempt_counts WHERE key = $1 AND last_at > $2",
                   Params().text(key).int64(now - window_s));
  if (!res) return fail(res.error());
  if (res->rows() == 0) return AttemptCount{};
  return AttemptCount{res->int64(0, 0), res->int64(0, 1)};
}

Result<AttemptCount> PostgresCommunityStore::add_attempt(std::string_view key, std::int64_t now,
                                                         std::int64_t window_s) {
  // One statement: concurrent instances counting the same key serialise on its row.
  auto res = query(
      "INSERT INTO attempt_counts(key, count, last_at) VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET "
      "count = CASE WHEN attempt_counts.last_at <= $2 - $3 THEN 1 ELSE attempt_counts.count + 1 END, last_at = $2 "
      "RETURNING count, last_at",
      Params().text(key).int64(now).int64(window_s));
  if (!res) return fail(res.error());
  return AttemptCount{res->int64(0, 0), res->int64(0, 1)};
}

Status PostgresCommunityStore::clear_attempts(std::string_view key) {
  return as_status(query("DELETE FROM attempt_counts WHERE key = $1", Params().text(key)));
}

Result<VoteOutcome> PostgresCommunityStore::set_vote(std::int64_t account_id, std::string_view paper_id,
                                                     std::int64_t published, bool up, std::int64_t now) {
  auto res = up ? query(kVoteUp, Params().int64(account_id).text(paper_id).int64(now).int64(published))
                : query(kVoteDown, Params().int64(account_id).text(paper_id));
  if (!res) return fail(res.error());
  VoteOutcome out{res->int64(0, 0), up};
  if (res->int64(0, 1) > 0) {
    if (Status s = bump_vote_generation(); !s.is_ok()) return fail(s);
  }
  return out;
}

Status PostgresCommunityStore::bump_vote_generation() {
  // After the commit, never inside it: a page cache that saw the new generation must also see the
  // new count.
  return as_status(query("SELECT nextval('vote_generation')", {}));
}

Result<std::int64_t> PostgresCommunityStore::vote_generation() {
  auto res = query("SELECT last_value FROM vote_generation", {});
  if (!res) return fail(res.error());
  return res->int64(0, 0);
}

Result<std::unordered_map<std::string, std::int64_t>> PostgresCommunityStore::vote_counts(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, std::int64_t> out;
  if (paper_ids.empty()) return out;
  auto res = query("SELECT paper_id, upvotes FROM paper_votes WHERE paper_id = ANY($1::text[])",
                   Params().text(array_literal(to_vector(paper_ids))));
  if (!res) return fail(res.error());
  for (int r = 0; r < res->rows(); ++r) out[std::string(res->text(r, 0))] = res->int64(r, 1);
  return out;
}

Result<std::unordered_set<std::string>> PostgresCommunityStore::voted_papers(std::int64_t account_id,
                                                                             std::span<const std::string> paper_ids) {
  std::unordered_set<std::string> out;
  if (paper_ids.empty()) return out;
  auto res = query("SELECT paper_id FROM votes WHERE account_id = $1 AND paper_id = ANY($2::text[])",
                   Params().int64(account_id).text(array_literal(to_vector(paper_ids))));
  if (!res) return fail(res.error());
  for (int r = 0; r < res->rows(); ++r) out.insert(std::string(res->text(r, 0)));
  return out;
}

Result<std::vector<std::string>> PostgresCommunityStore::papers_voted_by(std::int64_t account_id, int limit) {
  auto res = query("SELECT paper_id FROM votes WHERE account_id = $1 ORDER BY voted_at DESC, paper_id DESC LIMIT $2",
                   Params().int64(account_id).int64(limit));
  if (!res) return fail(res.error());
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r) out.emplace_back(res->text(r, 0));
  return out;
}

Result<std::vector<PaperVotes>> PostgresCommunityStore::voted_papers_published_between(std::int64_t from,
                                                                                       std::int64_t to) {
  auto res =
      query("SELECT paper_id, upvotes, published FROM paper_votes WHERE published BETWEEN $1 AND $2 AND upvotes > 0",
            Params().int64(from).int64(to));
  if (!res) return fail(res.error());
  std::vector<PaperVotes> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r)
    out.push_back({std::string(res->text(r, 0)), res->int64(r, 1), res->int64(r, 2)});
  return out;
}

}  // namespace paperboy::store::postgres
