#include "mail/options_from.h"

#include <utility>

namespace paperboy::mail {

OutboxOptions outbox_options_from(const config::Config& config, std::string message_id_domain) {
  const auto& m = config.mail;
  OutboxOptions o;
  o.min_interval_s = m.rate_per_second > 0 ? 1.0 / m.rate_per_second : 0;
  o.max_attempts = m.max_attempts;
  o.backoff_s = m.retry_backoff_s;
  o.pause_after_failures = m.pause_after_failures;
  o.claim_lease_s = m.claim_lease_s;
  o.message_id_domain = std::move(message_id_domain);
  return o;
}

}  // namespace paperboy::mail
