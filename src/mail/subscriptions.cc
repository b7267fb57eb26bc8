#include "mail/subscriptions.h"

#include <algorithm>
#include <cctype>

#include "core/time.h"
#include "mail/message.h"

namespace paperboy::mail {
namespace {

// A pending address gets at most one confirmation mail per 10 minutes however often the form is sent.
constexpr std::int64_t kConfirmationResendAfter = 600;

bool is_category(std::string_view c) {
  if (c.empty() || c.size() > 32) return false;
  return std::ranges::all_of(c,
                             [](unsigned char ch) { return std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_'; });
}

}  // namespace

SubscriptionService::SubscriptionService(store::MailStore& mail, const MailLinks& links, DigestOutbox& outbox,
                                         std::function<void()> on_queued)
    : mail_(mail), links_(links), outbox_(outbox), on_queued_(std::move(on_queued)) {}

Status SubscriptionService::subscribe(store::SubscriptionRequest r) {
  std::string trimmed = r.email;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.erase(0, 1);
  r.email = trimmed;
  if (!is_valid_address(r.email)) return Status::invalid_argument("'" + r.email + "' is not an e-mail address");
  if (r.frequency.empty()) r.frequency = "weekly";
  if (r.kind.empty()) r.kind = r.categories.empty() ? "trending" : "categories";
  if (r.frequency != "daily" && r.frequency != "weekly") {
    return Status::invalid_argument("frequency must be daily or weekly");
  }
  if (r.kind != "trending" && r.kind != "categories" && r.kind != "personal") {
    return Status::invalid_argument("kind must be trending, categories or personal");
  }
  if (r.kind == "personal" && r.account_id <= 0) {
    return Status::invalid_argument("personal digests need an account: sign in first");
  }
  if (r.kind == "categories" && r.categories.empty()) {
    return Status::invalid_argument("choose at least one category for a categories digest");
  }
  if (r.categories.size() > 20) return Status::invalid_argument("at most 20 categories");
  for (const auto& c : r.categories) {
    if (!is_category(c)) return Status::invalid_argument("'" + c + "' is not a category");
  }
  auto out = mail_.subscribe(r, core::unix_now(), kConfirmationResendAfter);
  if (!out) return out.error();
  if (out->confirmation_queued && on_queued_) on_queued_();
  return Status::ok();
}

Result<store::Subscription> SubscriptionService::resolve(std::string_view token, LinkPurpose purpose) {
  auto subject = links_.verify(token, purpose, core::unix_now());
  if (!subject) return fail(subject.error());
  auto sub = mail_.subscription(subject->subscription_id);
  if (!sub) return fail(sub.error());
  // The address check makes a link die with its subscription even if an id is ever reused.
  if (!*sub || (*sub)->email != subject->email) return fail(Status::not_found("this subscription no longer exists"));
  return **sub;
}

Result<store::Subscription> SubscriptionService::confirm(std::string_view token) {
  auto sub = resolve(token, LinkPurpose::kConfirm);
  if (!sub) return fail(sub.error());
  auto changed = mail_.confirm(sub->id, core::unix_now());
  if (!changed) return fail(changed.error());
  auto now_sub = mail_.subscription(sub->id);
  if (!now_sub) return fail(now_sub.error());
  return now_sub->value_or(*sub);
}

Result<store::Subscription> SubscriptionService::unsubscribe(std::string_view token) {
  auto sub = resolve(token, LinkPurpose::kUnsubscribe);
  if (!sub) return fail(sub.error());
  auto changed = mail_.unsubscribe(sub->id);
  if (!changed) return fail(changed.error());
  sub->status = store::SubscriptionStatus::kUnsubscribed;
  return *sub;
}

Result<std::string> SubscriptionService::preview_html(std::string_view token) {
  auto sub = resolve(token, LinkPurpose::kPreview);
  if (!sub) return fail(sub.error());
  auto message = outbox_.preview(*sub, core::unix_now());
  if (!message) return fail(message.error());
  return message->html;
}

}  // namespace paperboy::mail
