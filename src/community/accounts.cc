#include "community/accounts.h"

#include <algorithm>
#include <cctype>

#include "core/time.h"

namespace paperboy::community {

Result<std::string> normalise_email(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())) != 0) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())) != 0) email.remove_suffix(1);
  if (email.empty()) return fail(Status::invalid_argument("email: required"));
  if (email.size() > 254) return fail(Status::invalid_argument("email: longer than 254 characters"));
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at != email.rfind('@')) {
    return fail(Status::invalid_argument("email: expected name@domain"));
  }
  std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return fail(Status::invalid_argument("email: the domain '" + std::string(domain) + "' is not valid"));
  }
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      return fail(Status::invalid_argument("email: must not contain spaces or control characters"));
    }
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Status validate_password(std::string_view password) {
  if (password.size() < 10) return Status::invalid_argument("password: at least 10 characters");
  if (password.size() > 1024) return Status::invalid_argument("password: at most 1024 characters");
  return Status::ok();
}

AccountService::AccountService(store::CommunityStore& store, AccountOptions options)
    : store_(store),
      options_(options),
      limits_(store, options.limits),
      dummy_hash_(hash_password("not a real password", options.hash_cost).value_or("")) {}

namespace {

Status too_many(WaitSeconds wait, WaitSeconds* retry_after_s, std::string_view what) {
  if (retry_after_s != nullptr) *retry_after_s = wait;
  return Status::rate_limited(
      std::string(what) + "; try again in " + std::to_string(wait) + (wait == 1 ? " second" : " seconds"), wait);
}

}  // namespace

Result<store::Account> AccountService::sign_up(std::string_view email, std::string_view password, std::string_view name,
                                               store::Role role, std::string_view client, WaitSeconds* retry_after_s) {
  if (!client.empty()) {
    auto wait = limits_.admit_signup(client);
    if (!wait) return fail(wait.error());
    if (*wait > 0) return fail(too_many(*wait, retry_after_s, "too many sign-ups from your address"));
  }
  auto normal = normalise_email(email);
  if (!normal) return fail(normal.error());
  if (Status s = validate_password(password); !s.is_ok()) return fail(s);
  std::string display(name);
  if (display.size() > 100) return fail(Status::invalid_argument("name: at most 100 characters"));
  if (display.empty()) display = normal->substr(0, normal->find('@'));
  auto hash = hash_password(password, options_.hash_cost);
  if (!hash) return fail(hash.error());
  std::int64_t now = core::unix_now();
  auto id = store_.create_account(*normal, display, *hash, role, now);
  if (!id) return fail(id.error());
  return store::Account{*id, *normal, display, role, now};
}

Result<store::Account> AccountService::authenticate(std::string_view email, std::string_view password,
                                                    const std::string& client, WaitSeconds* retry_after_s) {
  const Status wrong = Status::unauthenticated("email or password is wrong");
  auto normal = normalise_email(email);
  // Bounded key: an unparseable "email" of any length is one account key.
  std::string account_key = normal ? *normal : "invalid:" + hash_secret(email).substr(0, 16);
  auto wait = limits_.login_wait(account_key, client);
  if (!wait) return fail(wait.error());
  if (*wait > 0) return fail(too_many(*wait, retry_after_s, "too many failed logins"));
  auto found = normal ? store_.find_account_by_email(*normal) : Result<std::optional<store::AccountCredentials>>();
  if (!found) return fail(found.error());
  // Unknown emails spend the same work as a real check and count the same failures.
  bool is_right = verify_password(password, *found ? (*found)->password_hash : dummy_hash_) && *found;
  if (!is_right) {
    if (Status s = limits_.record_login_failure(account_key, client); !s.is_ok()) return fail(s);
    return fail(wrong);
  }
  if (Status s = limits_.record_login_success(account_key); !s.is_ok()) return fail(s);
  return (*found)->account;
}

Status AccountService::admit_reset_request(std::string_view client, std::string_view email,
                                           WaitSeconds* retry_after_s) {
  auto wait = limits_.admit_reset(client, email);
  if (!wait) return wait.error();
  if (*wait > 0) return too_many(*wait, retry_after_s, "too many password-reset requests");
  return Status::ok();
}

Result<Session> AccountService::start_session(const store::Account& account) {
  Session s{random_secret(), account};
  if (Status st =
          store_.create_session(hash_secret(s.secret), account.id, core::unix_now() + options_.session_lifetime_s);
      !st.is_ok()) {
    return fail(st);
  }
  return s;
}

Result<std::optional<store::Account>> AccountService::session_account(std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return std::optional<store::Account>();
  return store_.session_account(hash_secret(secret), core::unix_now());
}

Status AccountService::end_session(std::string_view secret) {
  return store_.delete_session(hash_secret(secret));
}

Result<std::string> AccountService::issue_api_token(const store::Account& account, std::string_view label) {
  // A recognisable prefix lets secret scanners and people tell what the string is.
  std::string token = "pb_" + random_secret();
  if (Status s = store_.create_api_token(hash_secret(token), account.id, label, core::unix_now()); !s.is_ok()) {
    return fail(s);
  }
  return token;
}

Result<std::optional<store::Account>> AccountService::token_account(std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return std::optional<store::Account>();
  return store_.token_account(hash_secret(secret));
}

Status AccountService::change_password(std::int64_t account_id, std::string_view password) {
  PB_RETURN_IF_ERROR(validate_password(password));
  auto hash = hash_password(password, options_.hash_cost);
  if (!hash) return hash.error();
  PB_RETURN_IF_ERROR(store_.set_password_hash(account_id, *hash));
  // Whoever knew the old password may have made a session or a token with it (OWASP: invalidate
  // all sessions on a password change); the caller logs in afresh.
  PB_RETURN_IF_ERROR(store_.delete_api_tokens_of(account_id));
  return store_.delete_sessions_of(account_id);
}

Result<std::string> AccountService::password_fingerprint(std::int64_t account_id) {
  auto found = store_.get_account(account_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Status::not_found("no such account"));
  return hash_secret((*found)->password_hash).substr(0, 16);
}

Status AccountService::delete_account(std::int64_t account_id) {
  for (const auto& step : deletion_steps_) PB_RETURN_IF_ERROR(step(account_id));
  return store_.delete_account(account_id);
}

void AccountService::add_deletion_step(std::function<Status(std::int64_t)> step) {
  deletion_steps_.push_back(std::move(step));
}

Result<std::optional<store::Account>> AccountService::find_by_email(std::string_view email) {
  auto found = store_.find_account_by_email(email);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<store::Account>();
  return std::optional<store::Account>((*found)->account);
}

Result<std::optional<store::Account>> AccountService::find(std::int64_t account_id) {
  auto found = store_.get_account(account_id);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<store::Account>();
  return std::optional<store::Account>((*found)->account);
}

}  // namespace paperboy::community
