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
      login_limiter_(options.login_attempts, options.login_window_s),
      dummy_hash_(hash_password("not a real password", options.hash_cost).value_or("")) {}

Result<store::Account> AccountService::sign_up(std::string_view email, std::string_view password,
                                               std::string_view name, store::Role role) {
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
                                                    const std::string& client) {
  const Status wrong = Status::permission_denied("email or password is wrong");
  std::int64_t now = core::unix_now();
  auto normal = normalise_email(email);
  std::string email_key = "email:" + (normal ? *normal : std::string(email));
  if (!login_limiter_.allow("client:" + client, now) || !login_limiter_.allow(email_key, now)) {
    return fail(Status::resource_exhausted("too many login attempts; try again in a few minutes"));
  }
  if (!normal) return fail(wrong);
  auto found = store_.find_account_by_email(*normal);
  if (!found) return fail(found.error());
  if (!*found) {
    (void)verify_password(password, dummy_hash_);  // same work as a real check
    return fail(wrong);
  }
  if (!verify_password(password, (*found)->password_hash)) return fail(wrong);
  return (*found)->account;
}

Result<Session> AccountService::start_session(const store::Account& account) {
  Session s{random_secret(), account};
  if (Status st = store_.create_session(hash_secret(s.secret), account.id,
                                        core::unix_now() + options_.session_lifetime_s);
      !st.is_ok()) {
    return fail(st);
  }
  return s;
}

Result<std::optional<store::Account>> AccountService::session_account(std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return std::optional<store::Account>();
  return store_.session_account(hash_secret(secret), core::unix_now());
}

Status AccountService::end_session(std::string_view secret) { return store_.delete_session(hash_secret(secret)); }

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

}  // namespace paperboy::community
