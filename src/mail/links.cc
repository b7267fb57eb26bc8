#include "mail/links.h"

#include <charconv>

namespace paperboy::mail {
namespace {

std::string_view purpose_name(LinkPurpose p) {
  switch (p) {
    case LinkPurpose::kConfirm: return "mail-confirm";
    case LinkPurpose::kUnsubscribe: return "mail-unsubscribe";
    case LinkPurpose::kPreview: return "mail-preview";
  }
  return "";
}

std::int64_t ttl(LinkPurpose p) {
  switch (p) {
    case LinkPurpose::kConfirm: return MailLinks::kConfirmTtl;
    case LinkPurpose::kUnsubscribe: return MailLinks::kUnsubscribeTtl;
    case LinkPurpose::kPreview: return MailLinks::kPreviewTtl;
  }
  return 0;
}

std::string_view path(LinkPurpose p) {
  switch (p) {
    case LinkPurpose::kConfirm: return "/subscribe/confirm";
    case LinkPurpose::kUnsubscribe: return "/unsubscribe";
    case LinkPurpose::kPreview: return "/digest/preview";
  }
  return "/";
}

}  // namespace

MailLinks::MailLinks(core::Signer signer, std::string public_url)
    : signer_(std::move(signer)), public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

std::string MailLinks::token(LinkPurpose purpose, const store::Subscription& sub, std::int64_t now) const {
  return signer_.sign(purpose_name(purpose), std::to_string(sub.id) + ":" + sub.email, now + ttl(purpose));
}

std::string MailLinks::url(LinkPurpose purpose, const store::Subscription& sub, std::int64_t now) const {
  // Tokens are base64url plus '.': safe in a query string as they are.
  return public_url_ + std::string(path(purpose)) + "?token=" + token(purpose, sub, now);
}

Result<MailLinks::Subject> MailLinks::verify(std::string_view token, LinkPurpose purpose, std::int64_t now) const {
  auto subject = signer_.verify(token, purpose_name(purpose), now);
  if (!subject) return fail(subject.error());
  size_t colon = subject->find(':');
  Subject out;
  if (colon == std::string::npos ||
      std::from_chars(subject->data(), subject->data() + colon, out.subscription_id).ec != std::errc{}) {
    return fail(Status::invalid_argument("malformed link"));
  }
  out.email = subject->substr(colon + 1);
  return out;
}

}  // namespace paperboy::mail
