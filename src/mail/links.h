// MailLinks: the signed links in mails and on subscription pages: confirm, unsubscribe, preview.
// Each token binds its purpose and "<subscription id>:<address>" under the database's signing key
// (core::Signer), so a link can neither be forged nor reused for another purpose or address, and
// expires: confirm after 7 days, preview after 30, unsubscribe after a year (old digests keep
// working, as RFC 8058 senders are expected to). Immutable; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/signing.h"
#include "core/status.h"
#include "store/mail_store.h"

namespace paperboy::mail {

enum class LinkPurpose { kConfirm, kUnsubscribe, kPreview };

class MailLinks {
 public:
  static constexpr std::int64_t kConfirmTtl = 7 * 86400;
  static constexpr std::int64_t kUnsubscribeTtl = 365 * 86400;
  static constexpr std::int64_t kPreviewTtl = 30 * 86400;

  // `public_url`: "https://papers.example.org" (no trailing slash needed).
  MailLinks(core::Signer signer, std::string public_url);

  [[nodiscard]] std::string token(LinkPurpose purpose, const store::Subscription& sub, std::int64_t now) const;
  // Absolute URLs: /subscribe/confirm?token=, /unsubscribe?token=, /digest/preview?token=.
  [[nodiscard]] std::string url(LinkPurpose purpose, const store::Subscription& sub, std::int64_t now) const;
  [[nodiscard]] const std::string& public_url() const { return public_url_; }

  // The subscription id a token names, after checking signature, purpose and expiry. The caller
  // must also check that the subscription still has the token's address (verify_subject).
  struct Subject {
    std::int64_t subscription_id = 0;
    std::string email;
  };
  [[nodiscard]] Result<Subject> verify(std::string_view token, LinkPurpose purpose, std::int64_t now) const;

 private:
  core::Signer signer_;
  std::string public_url_;
};

}  // namespace paperboy::mail
