// Digest content: which issue is due (DigestIssue), which papers one subscriber gets in it
// (DigestSource: trending, categories or personal), and the mails themselves (DigestComposer:
// digest and confirmation mails, plain text and HTML from mustache templates with inline CSS, no
// scripts, no remote images). Used by the outbox sender, `paperboy digest send` and the preview
// page. StoreDigestSource and DigestComposer are thread-safe after construction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "mail/links.h"
#include "mail/message.h"
#include "store/mail_store.h"
#include "store/store.h"

namespace paperboy::mail {

// One issue of a digest: "daily:2026-11-28" (the UTC date it is sent) or "weekly:2026-W48" (ISO
// week); it covers the newest listing day (daily) or the 7 days ending there (weekly).
struct DigestIssue {
  std::string key;
  std::string frequency;
  std::string from_day, to_day;  // listing days covered, inclusive
};

// The issue key of `frequency` at `now` ("daily" | "weekly"; anything else is invalid_argument).
[[nodiscard]] Result<std::string> issue_key(std::string_view frequency, std::int64_t now);
// The issue with its listing window (from the store's newest listing day).
[[nodiscard]] Result<DigestIssue> digest_issue(store::Store& store, std::string_view key);

struct DigestEntry {
  store::StoredPaper paper;
  std::string reason;  // "Because you liked ..."; empty for non-personal digests
};

class DigestSource {
 public:
  virtual ~DigestSource() = default;
  virtual Result<std::vector<DigestEntry>> papers(const store::Subscription& sub, const DigestIssue& issue) = 0;
};

// The papers of one issue from the store. "categories": the newest papers of the window in the
// chosen categories. "trending": the window's papers from `trending` (the site's trending ranking;
// null: the store's listing order). "personal": the window's
// papers ranked by `personal` (null: personal digests are skipped with a reason).
class StoreDigestSource final : public DigestSource {
 public:
  // The top `limit` papers of listing days from_day..to_day by the site's trending ranking.
  using TrendingRanker = std::function<Result<std::vector<store::StoredPaper>>(const DigestIssue&, int limit)>;
  using PersonalRanker = std::function<Result<std::vector<DigestEntry>>(
      const store::Subscription&, std::span<const store::StoredPaper> candidates, int limit)>;
  struct Options {
    int max_papers = 20;
    int max_candidates = 2000;  // papers of the window considered for trending/personal
    TrendingRanker trending;
    PersonalRanker personal;
  };
  StoreDigestSource(store::Store& store, Options options) : store_(store), options_(std::move(options)) {}
  Result<std::vector<DigestEntry>> papers(const store::Subscription& sub, const DigestIssue& issue) override;

 private:
  using Papers = std::shared_ptr<const std::vector<store::StoredPaper>>;
  // The window's candidates for trending and personal digests: the same for every subscriber of
  // an issue, so read once and reused until the issue or the store changes.
  Result<Papers> candidates(const DigestIssue& issue);
  // The issue's trending papers: every trending subscriber of an issue gets the same ones, so they
  // are ranked once per issue (votes cast during a run do not reorder a half-sent issue).
  Result<Papers> trending(const DigestIssue& issue);

  store::Store& store_;
  Options options_;
  std::mutex cache_mu_;
  std::string cache_key_;
  Papers cache_;
  std::map<std::string, Papers> trending_cache_;  // by issue key; cleared beyond a few issues
};

class DigestComposer {
 public:
  // `from`: the From mailbox ("Paperboy <digest@example.org>").
  DigestComposer(const MailLinks& links, std::string from);
  ~DigestComposer();

  // A digest mail with List-Unsubscribe (https link) and List-Unsubscribe-Post (RFC 8058).
  [[nodiscard]] MailMessage digest(const store::Subscription& sub, const DigestIssue& issue,
                                   std::span<const DigestEntry> entries, std::string_view message_id,
                                   std::int64_t now) const;
  [[nodiscard]] MailMessage confirmation(const store::Subscription& sub, std::string_view message_id,
                                         std::int64_t now) const;

 private:
  struct Templates;
  const MailLinks& links_;
  std::string from_;
  std::unique_ptr<Templates> templates_;
};

}  // namespace paperboy::mail
