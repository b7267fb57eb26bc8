// The mail part's options from the configuration (the `mail` section): the outbox's pace, retries
// and leases. The option table has held every value to its range, so this cannot fail.
#pragma once

#include <string>

#include "config/config.h"
#include "mail/outbox.h"

namespace paperboy::mail {

// `message_id_domain`: the right-hand side of Message-IDs (the public URL's host).
[[nodiscard]] OutboxOptions outbox_options_from(const config::Config& config, std::string message_id_domain);

}  // namespace paperboy::mail
