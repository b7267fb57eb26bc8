// How the mail tables store their values, shared by the SQLite and PostgreSQL mail stores so both
// write and read the same text: status and state names, the comma-separated category list, and
// lower-cased addresses. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/mail_store.h"

namespace paperboy::store {

// Unknown text reads as pending (the state a row is created in).
[[nodiscard]] SubscriptionStatus parse_subscription_status(std::string_view text);
[[nodiscard]] OutboxState parse_outbox_state(std::string_view text);
[[nodiscard]] std::string join_categories(const std::vector<std::string>& categories);
[[nodiscard]] std::vector<std::string> split_categories(std::string_view text);
// ASCII lower case: the address key of a subscription.
[[nodiscard]] std::string lower_email(std::string_view email);

}  // namespace paperboy::store
