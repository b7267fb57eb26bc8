#include "core/signing.h"

#include <sodium.h>

#include <charconv>
#include <vector>

namespace paperboy::core {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string to_base64url(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  return out;
}

bool from_base64url(std::string_view text, std::string& out) {
  out.assign(text.size(), '\0');  // decoded is never longer than the text
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, kVariant) != 0) {
    return false;
  }
  out.resize(len);
  return true;
}

void mac_of(const std::string& key, std::string_view payload,
            unsigned char (&mac)[crypto_auth_hmacsha256_BYTES]) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(payload.data()),
                                payload.size());
  crypto_auth_hmacsha256_final(&state, mac);
}

}  // namespace

std::string generate_signing_key_hex() {
  if (sodium_init() < 0) std::abort();
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  char hex[sizeof key * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  return hex;
}

Result<Signer> Signer::make(std::string_view key_hex) {
  if (sodium_init() < 0) return fail(Status::internal("libsodium failed to initialise"));
  if (key_hex.size() != 64) {
    return fail(Status::invalid_argument("signing key must be 64 hex characters, got " +
                                         std::to_string(key_hex.size())));
  }
  std::string key(32, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), key_hex.data(),
                     key_hex.size(), nullptr, &len, nullptr) != 0 ||
      len != 32) {
    return fail(Status::invalid_argument("signing key is not hex"));
  }
  return Signer(std::move(key));
}

std::string Signer::sign(std::string_view purpose, std::string_view subject,
                         std::int64_t expires_unix) const {
  std::string payload;
  payload.reserve(purpose.size() + subject.size() + 24);
  payload.append(purpose).append("\n").append(subject).append("\n").append(std::to_string(expires_unix));
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  mac_of(key_, payload, mac);
  return to_base64url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) + "." +
         to_base64url(mac, sizeof mac);
}

Result<std::string> Signer::verify(std::string_view token, std::string_view purpose,
                                   std::int64_t now_unix) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 4096) {
    return fail(Status::invalid_argument("malformed token"));
  }
  std::string payload, mac;
  if (!from_base64url(token.substr(0, dot), payload) || !from_base64url(token.substr(dot + 1), mac) ||
      mac.size() != crypto_auth_hmacsha256_BYTES) {
    return fail(Status::invalid_argument("malformed token"));
  }
  unsigned char expected[crypto_auth_hmacsha256_BYTES];
  mac_of(key_, payload, expected);
  if (sodium_memcmp(expected, mac.data(), sizeof expected) != 0) {
    return fail(Status::invalid_argument("token signature does not match"));
  }
  // Signed, so the payload is ours; still parse defensively.
  const auto first = payload.find('\n');
  const auto last = payload.rfind('\n');
  if (first == std::string::npos || first == last) return fail(Status::invalid_argument("malformed token"));
  if (std::string_view(payload).substr(0, first) != purpose) {
    return fail(Status::invalid_argument("token was made for another purpose"));
  }
  std::int64_t expires = 0;
  const char* begin = payload.data() + last + 1;
  const char* end = payload.data() + payload.size();
  if (std::from_chars(begin, end, expires).ptr != end) return fail(Status::invalid_argument("malformed token"));
  if (now_unix > expires) return fail(Status::permission_denied("token has expired"));
  return payload.substr(first + 1, last - first - 1);
}

}  // namespace paperboy::core
