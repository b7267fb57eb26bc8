#include "app/trend_service.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "core/time.h"
#include "search/text_analyzer.h"

namespace paperboy::app {

namespace {

// Rising topics: a word must be used by this many recent papers (and by one in kMinShareOf of
// them), and its share must grow by kMinLift; kPrior papers' worth of the recent share is added to
// both windows so a word going from 0 to 5 papers does not outrank one going from 100 to 400.
constexpr std::int64_t kMinRecent = 5;
constexpr std::int64_t kMinShareOf = 1000;
constexpr double kMinLift = 1.25;
constexpr double kPrior = 5;

std::int64_t monday_of(std::int64_t day) {
  return day - core::civil_from_days(day).weekday;
}

}  // namespace

Result<QueryTrend> TrendService::weekly(const search::SearchRequest& request, int weeks) {
  if (weeks < 1 || weeks > kMaxWeeks) {
    return fail(Status::invalid_argument("weeks: expected 1 to " + std::to_string(kMaxWeeks) + ", got " +
                                         std::to_string(weeks)));
  }
  auto matched = search_.matching_days(request);
  if (!matched) return fail(matched.error());
  QueryTrend out;
  if (!matched->newest_day) return out;
  const std::int64_t last = monday_of(*matched->newest_day);
  const std::int64_t first = last - 7 * static_cast<std::int64_t>(weeks - 1);
  out.weeks.resize(static_cast<size_t>(weeks));
  for (int w = 0; w < weeks; ++w) {
    auto& week = out.weeks[static_cast<size_t>(w)];
    week.monday = first + 7 * static_cast<std::int64_t>(w);
    week.week = core::iso_week(week.monday);
  }
  for (std::int32_t day : matched->days) {
    if (day < first || day >= last + 7) continue;
    ++out.weeks[static_cast<size_t>((day - first) / 7)].papers;
    ++out.papers;
  }
  for (const auto& w : out.weeks) out.peak = std::max(out.peak, w.papers);
  return out;
}

namespace {

// A title's words as rising topics count them: each word (its light stem as the key, the text
// analyzer's stop words, numbers and one-letter words dropped) and each pair of such words that
// stand next to each other, once per title. `forms` learns the lower-case surface form of each key.
void title_terms(std::string_view title, std::unordered_set<std::string>& out,
                 std::unordered_map<std::string, std::unordered_map<std::string, std::int64_t>>& forms) {
  out.clear();
  std::string previous_key;
  std::string previous_form;
  size_t i = 0;
  while (i < title.size()) {
    size_t start = i;
    while (i < title.size() && std::isalnum(static_cast<unsigned char>(title[i])) != 0) ++i;
    if (i == start) {
      ++i;
      // A pair is two words with nothing but a space or a hyphen between them.
      if (title[start] != ' ' && title[start] != '-') previous_key.clear();
      continue;
    }
    const bool is_command = start > 0 && title[start - 1] == '\\';  // \alpha: TeX, not a word
    std::string form(title.substr(start, i - start));
    for (char& c : form) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key;
    if (!is_command) search::for_each_term(form, [&](std::string_view t) { key = t; });
    if (key.empty()) {
      previous_key.clear();
      continue;
    }
    if (out.insert(key).second) ++forms[key][form];
    if (!previous_key.empty()) {
      std::string pair = previous_key + " " + key;
      if (out.insert(pair).second) ++forms[pair][previous_form + " " + form];
    }
    previous_key = std::move(key);
    previous_form = std::move(form);
  }
}

std::string most_used(const std::unordered_map<std::string, std::int64_t>& forms) {
  std::string best;
  std::int64_t most = -1;
  for (const auto& [form, n] : forms) {
    if (n > most || (n == most && form < best)) {
      best = form;
      most = n;
    }
  }
  return best;
}

}  // namespace

Result<RisingTopics> TrendService::rising(int limit) {
  if (limit < 1 || limit > kMaxTopics) {
    return fail(Status::invalid_argument("limit: expected 1 to " + std::to_string(kMaxTopics) + ", got " +
                                         std::to_string(limit)));
  }
  auto seq = papers_.max_change_seq();
  if (!seq) return fail(seq.error());
  {
    std::lock_guard lock(mu_);
    if (cached_ && cached_seq_ == *seq) {
      RisingTopics out = *cached_;
      if (out.topics.size() > static_cast<size_t>(limit)) out.topics.resize(static_cast<size_t>(limit));
      return out;
    }
  }
  auto newest = papers_.newest_listing_day();
  if (!newest) return fail(newest.error());
  RisingTopics out;
  auto newest_time = core::parse_iso8601(*newest);
  if (!newest_time) return out;  // no papers yet
  const std::int64_t last = *newest_time / 86400;
  out.windows = {.recent_from = last - kRecentDays + 1,
                 .recent_until = last,
                 .earlier_from = last - kRecentDays - kEarlierDays + 1,
                 .earlier_until = last - kRecentDays};
  // key -> papers using it in the recent and the earlier window.
  std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> counts;
  std::unordered_map<std::string, std::unordered_map<std::string, std::int64_t>> forms;
  std::unordered_set<std::string> terms;
  std::int64_t read = 0;
  for (const bool recent : {true, false}) {
    store::ListingQuery q;
    q.from_day = core::format_iso_date((recent ? out.windows.recent_from : out.windows.earlier_from) * 86400);
    q.to_day = core::format_iso_date((recent ? out.windows.recent_until : out.windows.earlier_until) * 86400);
    q.limit = kPageSize;
    for (q.offset = 0; read < kMaxPapersRead; q.offset += kPageSize) {
      auto page = papers_.list_papers(q);
      if (!page) return fail(page.error());
      for (const auto& p : *page) {
        title_terms(p.paper.title, terms, forms);
        for (const auto& t : terms) ++(recent ? counts[t].first : counts[t].second);
      }
      read += static_cast<std::int64_t>(page->size());
      (recent ? out.recent_papers : out.earlier_papers) += static_cast<std::int64_t>(page->size());
      if (page->size() < static_cast<size_t>(kPageSize)) break;
    }
  }
  if (out.recent_papers > 0 && out.earlier_papers > 0) {
    const auto recent_papers = static_cast<double>(out.recent_papers);
    const auto earlier_papers = static_cast<double>(out.earlier_papers);
    const std::int64_t min_recent = std::max(kMinRecent, out.recent_papers / kMinShareOf);
    for (const auto& [key, n] : counts) {
      const auto [recent, earlier] = n;
      if (recent < min_recent) continue;
      RisingTopic topic{.term = most_used(forms[key]),
                        .recent = recent,
                        .earlier = earlier,
                        .recent_share = static_cast<double>(recent) / recent_papers,
                        .earlier_share = static_cast<double>(earlier) / earlier_papers};
      const double smoothed_recent = (static_cast<double>(recent) + kPrior) / recent_papers;
      const double smoothed_earlier =
          (static_cast<double>(earlier) + kPrior * earlier_papers / recent_papers) / earlier_papers;
      topic.lift = smoothed_recent / smoothed_earlier;
      if (topic.lift >= kMinLift) out.topics.push_back(std::move(topic));
    }
    std::sort(out.topics.begin(), out.topics.end(), [](const RisingTopic& a, const RisingTopic& b) {
      return a.lift != b.lift ? a.lift > b.lift : a.term < b.term;
    });
    // A word whose rise a rising phrase already shows (the phrase holds most of its papers)
    // makes room for another topic.
    std::vector<RisingTopic> kept;
    for (auto& t : out.topics) {
      if (kept.size() == static_cast<size_t>(kMaxTopics)) break;
      const bool explained = t.term.find(' ') == std::string::npos &&
                             std::any_of(out.topics.begin(), out.topics.end(), [&](const RisingTopic& phrase) {
                               return phrase.recent * 5 >= t.recent * 4 &&
                                      (phrase.term.starts_with(t.term + " ") || phrase.term.ends_with(" " + t.term));
                             });
      if (!explained) kept.push_back(t);
    }
    out.topics = std::move(kept);
  }
  {
    std::lock_guard lock(mu_);
    cached_ = out;
    cached_seq_ = *seq;
  }
  if (out.topics.size() > static_cast<size_t>(limit)) out.topics.resize(static_cast<size_t>(limit));
  return out;
}

}  // namespace paperboy::app
