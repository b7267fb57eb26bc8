// Csrf: tokens that prove a state-changing request comes from a page this site served, for every
// form and cookie-authenticated API call. A token is a core::Signer token (purpose "csrf", 12 h)
// whose subject is bound to the client: to the session cookie when logged in, otherwise to a
// random "pb_csrf" cookie set with the form (signed double-submit). Forms send it as the hidden
// field `csrf` in the body (never the query string), fetch() as the `X-CSRF-Token` header. With a
// session cookie, only a token bound to that session is accepted. Bearer-token API requests need none (a
// browser never attaches them on its own). Immutable after construction: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "web/request.h"

#include "core/signing.h"
#include "core/status.h"
#include "web/routes/common.h"

namespace paperboy::web {

inline constexpr const char* kSessionCookie = "pb_session";
inline constexpr const char* kCsrfCookie = "pb_csrf";

// The value of cookie `name` in the request's Cookie header ("" when absent).
[[nodiscard]] std::string cookie_value(const Request& req, std::string_view name);
// A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure when `secure`; max_age_s 0 deletes.
[[nodiscard]] std::string make_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s,
                                      bool secure);

class Csrf {
 public:
  Csrf(core::Signer signer, bool secure_cookies) : signer_(std::move(signer)), secure_(secure_cookies) {}

  // The token to embed in this request's forms. For a client without a session or csrf cookie it
  // adds the Set-Cookie for a new one to `reply` (so such replies must not be shared-cached).
  [[nodiscard]] std::string token_for(const Request& req, Reply& reply) const;
  // The token for a logged-in client (bound to its session cookie); "" without one.
  [[nodiscard]] std::string session_token(const Request& req) const;
  // permission_denied unless the request carries a valid token bound to its own cookies.
  [[nodiscard]] Status check(const Request& req) const;

  [[nodiscard]] bool secure_cookies() const { return secure_; }

 private:
  core::Signer signer_;
  bool secure_;
};

}  // namespace paperboy::web
