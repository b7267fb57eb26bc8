#include "web/csrf.h"

#include "community/secrets.h"
#include "core/time.h"

namespace paperboy::web {
namespace {

constexpr std::int64_t kTokenLifetimeS = 12 * 3600;

// Subjects are hashes of the cookie secrets, so a token shows nothing that could stand in for the cookie.
std::string session_subject(const std::string& cookie) {
  return "s:" + community::hash_secret("csrf " + cookie);
}
std::string anonymous_subject(const std::string& cookie) {
  return "a:" + community::hash_secret("csrf " + cookie);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The `csrf` field of a form body (application/x-www-form-urlencoded), percent-decoded; never
// from the query string, which lands in access logs, browser history and Referer headers.
std::string form_token(const Request& req) {
  if (!req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) return "";
  std::string_view rest = req.body;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (!pair.starts_with("csrf=")) continue;
    std::string out;
    for (size_t i = 5; i < pair.size(); ++i) {
      if (pair[i] == '+') {
        out += ' ';
      } else if (pair[i] == '%' && i + 2 < pair.size() && hex_value(pair[i + 1]) >= 0 && hex_value(pair[i + 2]) >= 0) {
        out += static_cast<char>(hex_value(pair[i + 1]) * 16 + hex_value(pair[i + 2]));
        i += 2;
      } else {
        out += pair[i];
      }
    }
    return out;
  }
  return "";
}

}  // namespace

std::string cookie_value(const Request& req, std::string_view name) {
  std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return "";
}

std::string make_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s, bool secure) {
  std::string c = std::string(name) + "=" + std::string(value) +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_s);
  if (secure) c += "; Secure";
  return c;
}

std::string Csrf::session_token(const Request& req) const {
  std::string session = cookie_value(req, kSessionCookie);
  if (session.empty()) return "";
  return signer_.sign("csrf", session_subject(session), core::unix_now() + kTokenLifetimeS);
}

std::string Csrf::token_for(const Request& req, Reply& reply) const {
  if (std::string t = session_token(req); !t.empty()) return t;
  std::string anon = cookie_value(req, kCsrfCookie);
  if (anon.empty()) {
    anon = community::random_secret();
    reply.set_cookies.push_back(make_cookie(kCsrfCookie, anon, kTokenLifetimeS, secure_));
  }
  return signer_.sign("csrf", anonymous_subject(anon), core::unix_now() + kTokenLifetimeS);
}

Status Csrf::check(const Request& req) const {
  std::string token = req.get_header_value("X-CSRF-Token");
  if (token.empty()) token = form_token(req);
  if (token.empty()) return Status::permission_denied("missing CSRF token; reload the page and try again");
  auto subject = signer_.verify(token, "csrf", core::unix_now());
  if (!subject) return Status::permission_denied("invalid CSRF token; reload the page and try again");
  std::string session = cookie_value(req, kSessionCookie);
  std::string anon = cookie_value(req, kCsrfCookie);
  // With a session cookie only a token bound to that session counts: an anonymous token (which
  // another client can obtain with its own pb_csrf cookie) must not act for a logged-in victim.
  if (!session.empty() ? *subject == session_subject(session) : !anon.empty() && *subject == anonymous_subject(anon)) {
    return Status::ok();
  }
  return Status::permission_denied("CSRF token does not belong to this client; reload the page and try again");
}

}  // namespace paperboy::web
