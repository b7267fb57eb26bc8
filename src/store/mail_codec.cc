#include "store/mail_codec.h"

#include <algorithm>
#include <cctype>

namespace paperboy::store {

std::string_view subscription_status_name(SubscriptionStatus status) {
  switch (status) {
    case SubscriptionStatus::kPending: return "pending";
    case SubscriptionStatus::kConfirmed: return "confirmed";
    case SubscriptionStatus::kUnsubscribed: return "unsubscribed";
    case SubscriptionStatus::kPaused: return "paused";
  }
  return "pending";
}

std::string_view outbox_state_name(OutboxState state) {
  switch (state) {
    case OutboxState::kPending: return "pending";
    case OutboxState::kSending: return "sending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kFailed: return "failed";
    case OutboxState::kSkipped: return "skipped";
  }
  return "pending";
}

SubscriptionStatus parse_subscription_status(std::string_view s) {
  if (s == "confirmed") return SubscriptionStatus::kConfirmed;
  if (s == "unsubscribed") return SubscriptionStatus::kUnsubscribed;
  if (s == "paused") return SubscriptionStatus::kPaused;
  return SubscriptionStatus::kPending;
}

OutboxState parse_outbox_state(std::string_view s) {
  if (s == "sending") return OutboxState::kSending;
  if (s == "sent") return OutboxState::kSent;
  if (s == "failed") return OutboxState::kFailed;
  if (s == "skipped") return OutboxState::kSkipped;
  return OutboxState::kPending;
}

std::string join_categories(const std::vector<std::string>& categories) {
  std::string out;
  for (const auto& c : categories) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::vector<std::string> split_categories(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = std::min(text.find(',', pos), text.size());
    if (comma > pos) out.emplace_back(text.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

std::string lower_email(std::string_view email) {
  std::string out(email);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace paperboy::store
