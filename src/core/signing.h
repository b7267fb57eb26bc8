// Signed, expiring tokens for links that act on someone's behalf without a session: email
// confirmation, one-click unsubscribe, password reset, CSRF tokens. A token binds a purpose
// ("unsubscribe"), a subject (an address, an account id) and an expiry time under HMAC-SHA-256
// (libsodium), so it cannot be forged, replayed for another purpose or used after it expires.
// Token text: base64url(purpose "\n" subject "\n" expires_unix) "." base64url(mac), safe in URLs.
// Signer is immutable after construction: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::core {

// 32 random bytes, hex encoded (64 characters): a new signing key.
std::string generate_signing_key_hex();

class Signer {
 public:
  // `key_hex`: 64 hex characters (see generate_signing_key_hex). Anything else is a bug in the
  // caller's configuration and is reported by make().
  static Result<Signer> make(std::string_view key_hex);

  // A token for (purpose, subject) valid until `expires_unix` (seconds since the epoch, UTC).
  [[nodiscard]] std::string sign(std::string_view purpose, std::string_view subject,
                                 std::int64_t expires_unix) const;

  // The subject of a token that is well-formed, signed by this key, made for `purpose` and not
  // expired at `now_unix`. Errors say which check failed (invalid_argument for malformed or
  // forged tokens and a wrong purpose, permission_denied for expired ones).
  [[nodiscard]] Result<std::string> verify(std::string_view token, std::string_view purpose,
                                           std::int64_t now_unix) const;

 private:
  explicit Signer(std::string key) : key_(std::move(key)) {}
  std::string key_;  // raw key bytes
};

}  // namespace paperboy::core
