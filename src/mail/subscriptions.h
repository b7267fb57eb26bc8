// SubscriptionService: what the subscription pages and API do, without HTTP: validate and store a
// subscription request (double opt-in: queue a confirmation mail), confirm and unsubscribe through
// signed links, and render a subscriber's digest preview. The web routes (web/routes/subscribe.cc)
// only parse requests and render pages around it. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mail/links.h"
#include "mail/outbox.h"
#include "store/mail_store.h"

namespace paperboy::mail {

class SubscriptionService {
 public:
  // `on_queued` runs after a confirmation mail was queued (serve wakes its sender).
  SubscriptionService(store::MailStore& mail, const MailLinks& links, DigestOutbox& outbox,
                      std::function<void()> on_queued);

  // Validates (address, frequency, kind, categories) and subscribes. The answer never says whether
  // the address was known (no address enumeration).
  Status subscribe(store::SubscriptionRequest request);
  // The subscription a link names, checked: signature, purpose, expiry, and that the subscription
  // still has the link's address. Errors: invalid_argument (forged or malformed), permission_denied
  // (expired), not_found (the subscription is gone).
  Result<store::Subscription> resolve(std::string_view token, LinkPurpose purpose);
  // Confirms the subscription a confirm link names; the subscription afterwards.
  Result<store::Subscription> confirm(std::string_view token);
  Result<store::Subscription> unsubscribe(std::string_view token);
  // The preview digest (HTML) of the subscription a preview link names.
  Result<std::string> preview_html(std::string_view token);

 private:
  store::MailStore& mail_;
  const MailLinks& links_;
  DigestOutbox& outbox_;
  std::function<void()> on_queued_;
};

}  // namespace paperboy::mail
