// `paperboy digest send [--dry-run] [--frequency daily|weekly]`: queues the current digest issue
// for every confirmed subscriber and sends what is due (digests and confirmation mails), printing
// how many. Also builds the mail services `serve` uses (mail_services.h).
#include <cstdio>
#include <mutex>
#include <span>

#include "cli/command.h"
#include "cli/mail_services.h"
#include "core/time.h"
#include "mail/options_from.h"
#include "rank/options_from.h"
#include "search/options_from.h"
#include "store/database.h"

namespace paperboy::cli {
namespace {

std::string host_of(const std::string& url) {
  size_t s = url.find("://");
  std::string host = s == std::string::npos ? url : url.substr(s + 3);
  host = host.substr(0, host.find_first_of("/:?"));
  return host.empty() ? "localhost" : host;
}

// `digest send` ranks personal digests with a recommender opened on the first personal
// subscriber, so runs without any never open the search indexes.
class LazyRecommender {
 public:
  // `community`: the votes the recommender learns from (null: community features are off).
  LazyRecommender(const store::Database& db, store::CommunityStore* community, const config::Config& cfg)
      : db_(db), community_(community), cfg_(cfg) {}

  Result<std::vector<mail::DigestEntry>> rank(const store::Subscription& sub,
                                              std::span<const store::StoredPaper> candidates, int limit) {
    std::call_once(once_, [this] { opened_ = open(); });
    if (!opened_.is_ok()) return fail(opened_);
    return ranker_(sub, candidates, limit);
  }

 private:
  Status open() {
    if (community_ == nullptr) return Status::invalid_argument("personal digests need community.enabled");
    auto search_opts = search::search_options_from(cfg_);
    search_opts.ranking_index = search::SearchOptions::RankingIndex::kOff;  // vectors only
    auto search = search::open_search_service(db_.papers(), search_opts);
    if (!search) return search.error().with_context("search indexes");
    search_ = std::move(*search);
    store::LibraryStore* library = cfg_.library.enabled ? &db_.library() : nullptr;
    signals_ = std::make_unique<rank::CommunitySignals>(*community_, library);
    recommender_ =
        std::make_unique<rank::Recommender>(db_.papers(), *search_, *signals_, rank::recommender_options_from(cfg_));
    ranker_ = personal_ranker(*recommender_);
    return Status::ok();
  }

  const store::Database& db_;
  store::CommunityStore* community_;
  config::Config cfg_;
  std::once_flag once_;
  Status opened_;
  std::unique_ptr<search::SearchService> search_;
  std::unique_ptr<rank::CommunitySignals> signals_;
  std::unique_ptr<rank::Recommender> recommender_;
  mail::StoreDigestSource::PersonalRanker ranker_;
};

}  // namespace

mail::StoreDigestSource::PersonalRanker personal_ranker(rank::Recommender& recommender) {
  return [&recommender](const store::Subscription& sub, std::span<const store::StoredPaper> candidates,
                        int limit) -> Result<std::vector<mail::DigestEntry>> {
    auto recs = recommender.rank(sub.account_id, candidates, limit);
    if (!recs) return fail(recs.error().with_context("recommendations for " + sub.email));
    std::vector<mail::DigestEntry> out;
    for (auto& r : *recs) out.push_back({std::move(r.paper), r.reason.text()});
    return out;
  };
}

Result<std::unique_ptr<MailServices>> open_mail_services(const store::Database& db, const config::Config& cfg,
                                                         const std::string& public_url, store::CommunityStore* votes,
                                                         mail::StoreDigestSource::PersonalRanker personal) {
  auto out = std::make_unique<MailServices>();
  store::Store& store = db.papers();
  out->mail = &db.mail();
  auto key = store::signing_key_hex(store);
  if (!key) return fail(key.error());
  auto signer = core::Signer::make(*key);
  if (!signer) return fail(signer.error());
  std::string base = cfg.server.public_url.empty() ? public_url : cfg.server.public_url;
  out->links = std::make_unique<mail::MailLinks>(std::move(*signer), base);
  out->composer = std::make_unique<mail::DigestComposer>(*out->links, cfg.mail.from);
  mail::StoreDigestSource::Options source_options;
  if (votes != nullptr) {
    // Ranked once per issue by the source (StoreDigestSource::trending), by the same service as
    // the site's trending page: votes, and the papers curators hid left out.
    out->listings = std::make_unique<app::ListingService>(store, &db.curation(), votes);
    source_options.trending = [listings = out->listings.get()](const mail::DigestIssue& issue, int limit) {
      return listings->trending({issue.from_day, issue.to_day, {}, limit, 0});
    };
  }
  source_options.personal = std::move(personal);
  out->source = std::make_unique<mail::StoreDigestSource>(store, std::move(source_options));
  if (!cfg.mail.smtp_url.empty()) {
    auto sender = mail::SmtpSender::make({cfg.mail.smtp_url, cfg.mail.smtp_user, cfg.mail.smtp_password});
    if (!sender) return fail(sender.error());
    out->sender = std::move(*sender);
  }
  mail::OutboxOptions options = mail::outbox_options_from(cfg, host_of(base));
  out->outbox =
      std::make_unique<mail::DigestOutbox>(store, *out->mail, out->sender.get(), *out->source, *out->composer, options);
  return out;
}

void add_digest_command(CLI::App& root, Invocation& inv) {
  auto* digest = root.add_subcommand("digest", "E-mail digests");
  digest->require_subcommand(1);
  auto* send = digest->add_subcommand("send", "Queue the current digest issue and send every mail that is due");
  auto dry_run = std::make_shared<bool>(false);
  auto frequency = std::make_shared<std::string>();
  send->add_flag("--dry-run", *dry_run, "count what would be sent; send and store nothing");
  send->add_option("--frequency", *frequency, "only this frequency's issue: daily or weekly")
      ->check(CLI::IsMember({"daily", "weekly"}));
  add_config_flag(*send, inv, "--smtp-url", "mail.smtp_url", "SMTP server: smtp://HOST:PORT or smtps://HOST:PORT");
  add_config_flag(*send, inv, "--public-url", "server.public_url", "base URL of links in mails");
  send->callback([&inv, dry_run, frequency] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    std::string fallback = "http://" + cfg->server.host + ":" + std::to_string(cfg->server.port);
    store::CommunityStore* votes = cfg->community.enabled ? &(*db)->community() : nullptr;
    auto lazy = std::make_shared<LazyRecommender>(**db, votes, *cfg);
    auto services =
        open_mail_services(**db, *cfg, fallback, votes,
                           [lazy](const store::Subscription& sub, std::span<const store::StoredPaper> candidates,
                                  int limit) { return lazy->rank(sub, candidates, limit); });
    if (!services) die(services.error());
    auto& outbox = *(*services)->outbox;
    std::vector<std::string> frequencies =
        frequency->empty() ? std::vector<std::string>{"daily", "weekly"} : std::vector<std::string>{*frequency};
    std::int64_t now = core::unix_now();
    if (*dry_run) {
      int total = 0;
      for (const auto& f : frequencies) {
        auto n = outbox.count_due(f, now);
        if (!n) die(n.error());
        total = std::max(total, *n);  // pending rows are counted by each frequency: take the larger
      }
      std::printf("dry run: %d mails would be sent\n", total);
      return;
    }
    if (!(*services)->sender) die(Status::invalid_argument("no SMTP server: set mail.smtp_url or --smtp-url"));
    int queued = 0;
    for (const auto& f : frequencies) {
      auto n = outbox.enqueue(f, now);
      if (!n) die(n.error());
      queued += *n;
    }
    auto summary = outbox.drain();
    if (!summary) die(summary.error());
    std::printf("sent %d mails (%d newly queued, %d to retry, %d failed, %d skipped)\n", summary->sent, queued,
                summary->retrying, summary->failed, summary->skipped);
  });
}

}  // namespace paperboy::cli
