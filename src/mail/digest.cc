#include "mail/digest.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "core/time.h"

namespace paperboy::mail {
namespace mustache = kainjow::mustache;
namespace {

// The mail templates. Mail clients ignore <style> blocks unevenly, so every style is inline;
// no scripts, no images. The text part uses triple braces (no HTML escaping in plain text).
constexpr const char* kDigestHtml = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{subject}}</title></head>
<body style="margin:0;padding:0;background:#f6f6f4;">
<div style="max-width:640px;margin:0 auto;padding:16px;font-family:Georgia,'Times New Roman',serif;color:#1a1a1a;background:#ffffff;">
<h1 style="font-size:22px;margin:0 0 4px;">{{heading}}</h1>
<p style="margin:0 0 16px;color:#555;font-size:14px;">{{summary}}</p>
{{#entries}}
<div style="border-top:1px solid #ddd;padding:12px 0;">
<h2 style="font-size:17px;margin:0 0 4px;line-height:1.3;"><a href="{{url}}" style="color:#1a4f8b;text-decoration:none;">{{title}}</a></h2>
<p style="margin:0 0 6px;font-size:13px;color:#555;">{{authors}} · {{categories}} · arXiv:{{id}}</p>
<p style="margin:0 0 6px;font-size:14px;line-height:1.45;">{{abstract}}</p>
{{#reason}}<p style="margin:0 0 6px;font-size:13px;color:#2d6a2d;">{{reason}}</p>{{/reason}}
<p style="margin:0;font-size:13px;"><a href="{{url}}" style="color:#1a4f8b;">Details</a> · <a href="{{pdf_url}}" style="color:#1a4f8b;">PDF</a></p>
</div>
{{/entries}}
<p style="border-top:1px solid #ddd;padding-top:12px;font-size:12px;color:#777;">You receive this {{frequency}} digest because {{email}} subscribed on {{site}}.
<a href="{{unsubscribe_url}}" style="color:#777;">Unsubscribe</a> · <a href="{{preview_url}}" style="color:#777;">View in the browser</a></p>
</div></body></html>
)";

constexpr const char* kDigestText = R"({{{heading}}}
{{{summary}}}
{{#entries}}

* {{{title}}}
  {{{authors}}} ({{{categories}}}, arXiv:{{{id}}})
  {{{abstract}}}
{{#reason}}  {{{reason}}}
{{/reason}}  {{{url}}}
{{/entries}}

--
You receive this {{{frequency}}} digest because {{{email}}} subscribed on {{{site}}}.
Unsubscribe: {{{unsubscribe_url}}}
View in the browser: {{{preview_url}}}
)";

constexpr const char* kConfirmHtml = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="margin:0;padding:0;background:#f6f6f4;">
<div style="max-width:560px;margin:0 auto;padding:16px;font-family:Georgia,serif;color:#1a1a1a;background:#ffffff;">
<h1 style="font-size:20px;margin:0 0 12px;">Confirm your Paperboy subscription</h1>
<p style="font-size:15px;line-height:1.5;">Someone, hopefully you, asked for a {{frequency}} digest of {{what}} to be sent to {{email}}.</p>
<p style="margin:20px 0;"><a href="{{confirm_url}}" style="background:#1a4f8b;color:#ffffff;padding:10px 16px;border-radius:4px;text-decoration:none;font-family:sans-serif;">Confirm subscription</a></p>
<p style="font-size:13px;color:#555;">If you did not ask for this, ignore this mail: nothing will be sent unless the link is used. The link works for 7 days.</p>
</div></body></html>
)";

constexpr const char* kConfirmText = R"(Confirm your Paperboy subscription

Someone, hopefully you, asked for a {{{frequency}}} digest of {{{what}}} to be sent to {{{email}}}.

Confirm: {{{confirm_url}}}

If you did not ask for this, ignore this mail: nothing will be sent unless the link is used.
The link works for 7 days.
)";

std::string day_string(std::int64_t days) {
  auto c = core::civil_from_days(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::optional<std::int64_t> parse_day(std::string_view day) {
  int y = 0, m = 0, d = 0;
  if (day.size() != 10 || std::sscanf(std::string(day).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return std::nullopt;
  return core::days_from_civil(y, m, d);
}

// The first ~`max` bytes of `text` cut at a word boundary, with an ellipsis.
std::string shorten(std::string_view text, size_t max) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r') ? ' ' : c;
  if (flat.size() <= max) return flat;
  size_t cut = flat.rfind(' ', max);
  if (cut == std::string::npos || cut < max / 2) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  }
  return flat.substr(0, cut) + " …";
}

std::string author_line(const core::Paper& p) {
  std::string out;
  for (size_t i = 0; i < p.authors.size() && i < 5; ++i) out += (i ? ", " : "") + p.authors[i].display_name();
  if (p.authors.size() > 5) out += " et al.";
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string describe(const store::Subscription& sub) {
  if (sub.kind == "categories") return "new papers in " + join(sub.categories, ", ");
  if (sub.kind == "personal") return "papers recommended for you";
  return "trending papers";
}

std::string site_name(const std::string& url) {
  size_t s = url.find("://");
  return s == std::string::npos ? url : url.substr(s + 3);
}

}  // namespace

Result<std::string> issue_key(std::string_view frequency, std::int64_t now) {
  std::int64_t days = now >= 0 ? now / 86400 : (now - 86399) / 86400;
  if (frequency == "daily") return "daily:" + day_string(days);
  if (frequency == "weekly") return "weekly:" + core::iso_week(days);
  return fail(Status::invalid_argument("frequency must be daily or weekly, not '" + std::string(frequency) + "'"));
}

Result<DigestIssue> digest_issue(store::Store& store, std::string_view key) {
  DigestIssue issue;
  issue.key = key;
  issue.frequency = key.substr(0, key.find(':'));
  if (issue.frequency != "daily" && issue.frequency != "weekly") {
    return fail(Status::invalid_argument("not a digest issue: " + std::string(key)));
  }
  auto newest = store.newest_listing_day();
  if (!newest) return fail(newest.error());
  issue.to_day = *newest;
  issue.from_day = *newest;
  if (issue.frequency == "weekly" && !newest->empty()) {
    if (auto d = parse_day(*newest)) issue.from_day = day_string(*d - 6);
  }
  return issue;
}

Result<StoreDigestSource::Papers> StoreDigestSource::candidates(const DigestIssue& issue) {
  auto seq = store_.max_change_seq();
  if (!seq) return fail(seq.error());
  std::string key = issue.from_day + "|" + issue.to_day + "|" + std::to_string(*seq);
  {
    std::lock_guard lock(cache_mu_);
    if (cache_ && cache_key_ == key) return cache_;
  }
  store::ListingQuery q{issue.from_day, issue.to_day, {}, options_.max_candidates, 0};
  auto papers = store_.list_papers(q);
  if (!papers) return fail(papers.error());
  auto out = std::make_shared<const std::vector<store::StoredPaper>>(std::move(*papers));
  std::lock_guard lock(cache_mu_);
  cache_key_ = std::move(key);
  cache_ = out;
  return Papers(out);
}

Result<StoreDigestSource::Papers> StoreDigestSource::trending(const DigestIssue& issue) {
  std::string key = issue.key + "|" + issue.from_day + "|" + issue.to_day;
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = trending_cache_.find(key); it != trending_cache_.end()) return it->second;
  }
  auto ranked = options_.trending(issue, options_.max_papers);
  if (!ranked) return fail(ranked.error());
  auto out = std::make_shared<const std::vector<store::StoredPaper>>(std::move(*ranked));
  std::lock_guard lock(cache_mu_);
  if (trending_cache_.size() >= 8) trending_cache_.clear();
  trending_cache_.emplace(std::move(key), out);
  return Papers(out);
}

Result<std::vector<DigestEntry>> StoreDigestSource::papers(const store::Subscription& sub, const DigestIssue& issue) {
  std::vector<DigestEntry> out;
  if (issue.to_day.empty()) return out;  // empty store
  if (sub.kind == "categories") {
    store::ListingQuery q{issue.from_day, issue.to_day, sub.categories, options_.max_papers, 0};
    auto papers = store_.list_papers(q);
    if (!papers) return fail(papers.error());
    for (auto& p : *papers) out.push_back({std::move(p), ""});
    return out;
  }
  if (sub.kind != "personal" && options_.trending) {
    auto ranked = trending(issue);
    if (!ranked) return fail(ranked.error());
    for (const auto& p : **ranked) out.push_back({p, ""});
    return out;
  }
  auto candidates = this->candidates(issue);
  if (!candidates) return fail(candidates.error());
  const std::vector<store::StoredPaper>& window = **candidates;
  if (sub.kind == "personal") {
    if (!options_.personal) return out;  // nothing to rank with: the outbox skips empty issues
    return options_.personal(sub, window, options_.max_papers);
  }
  for (size_t i = 0; i < window.size() && static_cast<int>(out.size()) < options_.max_papers; ++i) {
    out.push_back({window[i], ""});
  }
  return out;
}

// kainjow's render() is not const: one mutex guards the compiled templates.
struct DigestComposer::Templates {
  std::mutex mu;
  mustache::mustache digest_html{kDigestHtml}, digest_text{kDigestText};
  mustache::mustache confirm_html{kConfirmHtml}, confirm_text{kConfirmText};
};

DigestComposer::DigestComposer(const MailLinks& links, std::string from)
    : links_(links), from_(std::move(from)), templates_(std::make_unique<Templates>()) {
  for (auto* t :
       {&templates_->digest_html, &templates_->digest_text, &templates_->confirm_html, &templates_->confirm_text}) {
    if (!t->is_valid()) throw std::logic_error("mail template: " + t->error_message());
  }
}

DigestComposer::~DigestComposer() = default;

MailMessage DigestComposer::digest(const store::Subscription& sub, const DigestIssue& issue,
                                   std::span<const DigestEntry> entries, std::string_view message_id,
                                   std::int64_t now) const {
  std::string period = issue.from_day == issue.to_day ? issue.to_day : issue.from_day + " to " + issue.to_day;
  std::string heading = "Paperboy " + issue.frequency + " digest: " + describe(sub);
  mustache::data list(mustache::data::type::list);
  for (const auto& e : entries) {
    const core::Paper& p = e.paper.paper;
    mustache::data item;
    item.set("title", p.title);
    item.set("authors", author_line(p));
    item.set("categories", join(p.categories, " "));
    item.set("id", p.id);
    item.set("abstract", shorten(p.abstract, 320));
    if (e.reason.empty()) {
      item.set("reason", false);
    } else {
      item.set("reason", e.reason);
    }
    item.set("url", links_.public_url() + "/papers/" + p.id);
    item.set("pdf_url", "https://arxiv.org/pdf/" + p.id);
    list.push_back(item);
  }
  std::string unsubscribe = links_.url(LinkPurpose::kUnsubscribe, sub, now);
  mustache::data model;
  model.set("subject", heading);
  model.set("heading", heading);
  model.set("summary", std::to_string(entries.size()) + " papers listed " + period);
  model.set("entries", list);
  model.set("frequency", issue.frequency);
  model.set("email", sub.email);
  model.set("site", site_name(links_.public_url()));
  model.set("unsubscribe_url", unsubscribe);
  model.set("preview_url", links_.url(LinkPurpose::kPreview, sub, now));
  MailMessage m;
  {
    std::lock_guard lock(templates_->mu);
    m.html = templates_->digest_html.render(model);
    m.text = templates_->digest_text.render(model);
  }
  m.from = from_;
  m.to = sub.email;
  m.subject = "Paperboy " + issue.frequency + " digest, " + period;
  m.message_id = std::string(message_id);
  m.date = now;
  // RFC 2369 List-Unsubscribe and RFC 8058 §3.1: an https URI plus the one-click POST header.
  m.extra_headers = {{"List-Unsubscribe", "<" + unsubscribe + ">"},
                     {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
                     {"Auto-Submitted", "auto-generated"}};
  return m;
}

MailMessage DigestComposer::confirmation(const store::Subscription& sub, std::string_view message_id,
                                         std::int64_t now) const {
  mustache::data model;
  model.set("subject", "Confirm your Paperboy subscription");
  model.set("frequency", sub.frequency);
  model.set("what", describe(sub));
  model.set("email", sub.email);
  model.set("confirm_url", links_.url(LinkPurpose::kConfirm, sub, now));
  MailMessage m;
  {
    std::lock_guard lock(templates_->mu);
    m.html = templates_->confirm_html.render(model);
    m.text = templates_->confirm_text.render(model);
  }
  m.from = from_;
  m.to = sub.email;
  m.subject = "Confirm your Paperboy subscription";
  m.message_id = std::string(message_id);
  m.date = now;
  m.extra_headers = {{"Auto-Submitted", "auto-generated"}};
  return m;
}

}  // namespace paperboy::mail
