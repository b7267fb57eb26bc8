// Password hashing (argon2id through libsodium's crypto_pwhash_str) and the random secrets behind
// session cookies and API tokens, which are stored only as their BLAKE2b hash (crypto_generichash):
// a leaked database yields no usable session or token. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::community {

// How much work one password hash costs. kInteractive is libsodium's interactive limits (the
// default); kMinimum exists for tests and benchmarks that create many accounts.
enum class HashCost { kInteractive, kMinimum };

[[nodiscard]] Result<std::string> hash_password(std::string_view password, HashCost cost);
// True when `password` matches `hash`; a malformed hash is a mismatch.
[[nodiscard]] bool verify_password(std::string_view password, const std::string& hash);

// 32 random bytes, base64url without padding (43 characters): a session id or API token.
[[nodiscard]] std::string random_secret();
// Hex of the 32-byte BLAKE2b hash of a secret: what the store keeps.
[[nodiscard]] std::string hash_secret(std::string_view secret);

}  // namespace paperboy::community
