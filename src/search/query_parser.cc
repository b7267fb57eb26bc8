#include "search/query_parser.h"

#include <cctype>
#include <charconv>

#include "core/text.h"
#include "core/time.h"

namespace paperboy::search {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool all_letters(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// "2024", "2024-03" or "2024-03-05" -> the first (or, with `end`, the last) day it covers.
std::optional<std::int64_t> parse_day(std::string_view text, bool end) {
  std::optional<int> year, month, day;
  if (text.size() == 4) {
    year = to_int(text);
    month = end ? 12 : 1;
  } else if (text.size() == 7 && text[4] == '-') {
    year = to_int(text.substr(0, 4));
    month = to_int(text.substr(5, 2));
  } else if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    year = to_int(text.substr(0, 4));
    month = to_int(text.substr(5, 2));
    day = to_int(text.substr(8, 2));
  }
  if (!year || !month || *month < 1 || *month > 12 || *year < 1900 || *year > 9999) return std::nullopt;
  if (!day) day = end ? days_in_month(*year, *month) : 1;
  return core::days_from_civil(*year, *month, *day);
}

// since:7d, since:2w, since:3m, since:1y, or since:DATE.
Result<std::int64_t> parse_since(std::string_view value, std::int64_t now) {
  if (auto d = parse_day(value, false)) return *d;
  if (value.size() >= 2) {
    auto n = to_int(value.substr(0, value.size() - 1));
    char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(value.back())));
    int per = unit == 'd' ? 1 : unit == 'w' ? 7 : unit == 'm' ? 30 : unit == 'y' ? 365 : 0;
    if (n && *n >= 0 && *n <= 100000 && per > 0) {
      return now / kSecondsPerDay - static_cast<std::int64_t>(*n) * per;
    }
  }
  return fail(Status::invalid_argument("since: expected Nd, Nw, Nm, Ny or a date (YYYY-MM-DD), got '" +
                                       std::string(value) + "'"));
}

void join_into(std::string& out, std::string_view label, const std::vector<std::string>& items) {
  if (items.empty()) return;
  if (!out.empty()) out += "; ";
  out += label;
  out += ": ";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::int64_t now) : text_(text), now_(now) {}

  Result<ParsedQuery> run() {
    while (true) {
      while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      if (Status s = term(); !s.is_ok()) return fail(s);
    }
    if (q_.from_day && q_.until_day && *q_.from_day > *q_.until_day) {
      return fail(Status::invalid_argument("the date range is empty: from " +
                                           core::format_iso_date(*q_.from_day * kSecondsPerDay) + " is after until " +
                                           core::format_iso_date(*q_.until_day * kSecondsPerDay)));
    }
    return std::move(q_);
  }

 private:
  std::string where(size_t at) const { return "at character " + std::to_string(at + 1); }

  // Reads a quoted string starting at the opening quote; returns its contents.
  Result<std::string> quoted() {
    size_t open = pos_;
    size_t close = text_.find('"', open + 1);
    if (close == std::string_view::npos) {
      return fail(Status::invalid_argument("unbalanced quote " + where(open) + ": add the closing \""));
    }
    pos_ = close + 1;
    return std::string(text_.substr(open + 1, close - open - 1));
  }

  std::string bare() {
    size_t start = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_]) && text_[pos_] != '"') ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Status term() {
    size_t start = pos_;
    char sign = 0;
    if ((text_[pos_] == '+' || text_[pos_] == '-') && pos_ + 1 < text_.size() && !is_space(text_[pos_ + 1])) {
      sign = text_[pos_++];
    }
    if (text_[pos_] == '"') {
      auto phrase = quoted();
      if (!phrase) return phrase.error();
      if (phrase->find_first_not_of(" \t\n\r") == std::string::npos) return Status::ok();  // "" means nothing
      add_text(sign, std::move(*phrase), true);
      return Status::ok();
    }
    std::string word = bare();
    if (word.empty()) return Status::ok();  // a lone sign before a quote-less gap
    size_t colon = word.find(':');
    if (colon != std::string::npos && colon > 0 && all_letters(std::string_view(word).substr(0, colon))) {
      std::string field = core::to_lower_ascii(std::string_view(word).substr(0, colon));
      std::string value = word.substr(colon + 1);
      if (value.empty() && pos_ < text_.size() && text_[pos_] == '"') {
        auto v = quoted();
        if (!v) return v.error();
        value = std::move(*v);
      }
      if (value.empty() && (pos_ >= text_.size() || text_[pos_] != '"')) {
        // "BERT: pre-training ..." pasted from a title: a trailing colon is punctuation, not a field.
        add_text(sign, word.substr(0, colon), false);
        return Status::ok();
      }
      if (sign != 0) {
        return Status::invalid_argument("'" + std::string(1, sign) + "' cannot be applied to the filter '" + field +
                                        ":' " + where(start));
      }
      return filter(field, value, start);
    }
    if (word == "+" || word == "-") return Status::ok();
    add_text(sign, std::move(word), false);
    return Status::ok();
  }

  void add_text(char sign, std::string text, bool is_phrase) {
    if (sign == '-') {
      q_.excluded.push_back(std::move(text));
    } else if (sign == '+') {
      q_.required.push_back(std::move(text));
    } else if (is_phrase) {
      q_.phrases.push_back(std::move(text));
    } else {
      q_.words.push_back(std::move(text));
    }
  }

  Status filter(const std::string& field, const std::string& value, size_t at) {
    if (value.find_first_not_of(" \t") == std::string::npos) {
      return Status::invalid_argument(field + ": needs a value " + where(at) + " (for example " + field + ":" +
                                      (field == "cat"      ? "cs.LG"
                                       : field == "author" ? "Hinton"
                                       : field == "has"    ? "code"
                                                           : "2024-01-01") +
                                      ")");
    }
    if (field == "cat" || field == "category") {
      q_.categories.push_back(value);
    } else if (field == "author" || field == "au") {
      q_.authors.push_back(value);
    } else if (field == "has") {
      if (core::to_lower_ascii(value) != "code") {
        return Status::invalid_argument("has: expected has:code (papers that link their code), got '" + value + "'");
      }
      q_.has_code = true;
    } else if (field == "since" || field == "from" || field == "until") {
      std::optional<std::int64_t> day;
      if (field == "since") {
        auto d = parse_since(value, now_);
        if (!d) return d.error();
        day = *d;
      } else {
        day = parse_day(value, field == "until");
        if (!day) {
          return Status::invalid_argument(field + ": expected a date YYYY-MM-DD, YYYY-MM or YYYY, got '" + value + "'");
        }
      }
      if (field == "until") {
        q_.until_day = q_.until_day ? std::min(*q_.until_day, *day) : *day;
      } else {
        q_.from_day = q_.from_day ? std::max(*q_.from_day, *day) : *day;
      }
    } else {
      return Status::invalid_argument(
          "unknown field '" + field + "' " + where(at) +
          " (known: cat, author, has, since, from, until; quote the word to search for it)");
    }
    return Status::ok();
  }

  std::string_view text_;
  std::int64_t now_;
  size_t pos_ = 0;
  ParsedQuery q_;
};

}  // namespace

std::vector<std::string> ParsedQuery::highlight_terms() const {
  std::vector<std::string> out;
  for (const auto* list : {&words, &phrases, &required}) {
    for (const auto& t : *list) {
      std::string s = t;
      while (!s.empty() && s.back() == '*') s.pop_back();
      if (!s.empty()) out.push_back(std::move(s));
    }
  }
  return out;
}

std::string ParsedQuery::describe() const {
  std::string out;
  join_into(out, "words", words);
  join_into(out, "phrases", phrases);
  join_into(out, "required", required);
  join_into(out, "excluded", excluded);
  join_into(out, "categories", categories);
  join_into(out, "authors", authors);
  if (has_code) out += std::string(out.empty() ? "" : "; ") + "with a code link";
  if (from_day)
    out += std::string(out.empty() ? "" : "; ") + "from " + core::format_iso_date(*from_day * kSecondsPerDay);
  if (until_day)
    out += std::string(out.empty() ? "" : "; ") + "until " + core::format_iso_date(*until_day * kSecondsPerDay);
  return out.empty() ? "an empty query" : out;
}

Result<ParsedQuery> parse_query(std::string_view text, std::int64_t now) {
  if (text.size() > 4096) return fail(Status::invalid_argument("the query is too long (at most 4096 characters)"));
  return Parser(text, now).run();
}

}  // namespace paperboy::search
