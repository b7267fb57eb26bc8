#include "cli/app.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/assets_dir.h"
#include "cli/command.h"
#include "cli/mail_services.h"
#include "core/job_guard.h"
#include "ingest/arxiv_api.h"
#include "ingest/harvest_schedule.h"
#include "ingest/snapshot_ingest.h"
#include "mail/notice_mailer.h"
#include "mail/subscriptions.h"
#include "rank/options_from.h"
#include "rank/user_signals.h"
#include "search/options_from.h"
#include "store/database.h"
#include "store/thumbnail_files.h"
#include "thumbs/thumbnail_job.h"
#include "web/metrics.h"
#include "web/options_from.h"
#include "web/server.h"

namespace paperboy::cli {
namespace {

std::string demo_data_path(const config::Config& cfg) {
  if (!cfg.server.demo_data.empty()) return cfg.server.demo_data;
  return (assets_dir(cfg) / "demo-papers.jsonl.zst").string();
}

Status load_demo_if_empty(store::Store& store, const config::Config& cfg) {
  if (!cfg.server.load_demo_data) return Status::ok();
  auto seq = store.max_change_seq();
  if (!seq) return seq.error();
  if (*seq > 0) return Status::ok();
  std::string path = demo_data_path(cfg);
  if (!std::filesystem::exists(path)) {
    spdlog::warn("database is empty and demo data {} is missing; run `paperboy ingest FILE`", path);
    return Status::ok();
  }
  spdlog::info("database is empty: loading demo data from {}", path);
  ingest::IngestOptions options;
  options.batch_size = cfg.ingest.batch_size;
  auto summary = ingest::ingest_snapshot_files(store, {path}, options);
  if (!summary) return summary.error().with_context("loading demo data");
  spdlog::info("demo data loaded: {} papers", summary->inserted);
  return Status::ok();
}

// How often a standby instance tries to take a job over (and the holder checks it still holds it).
constexpr double kLeaseCheckS = 5;

Result<std::unique_ptr<ingest::HarvestScheduler>> make_harvest_scheduler(store::Store& store, const config::Config& cfg,
                                                                         store::JobLease* lease) {
  auto minute = ingest::parse_time_of_day(cfg.harvest.daily_at);
  if (!minute) return fail(minute.error().with_context("harvest.daily_at"));
  auto options = ingest::oai_options_from(cfg);
  if (!options) return fail(options.error());
  auto http_options = ingest::http_options_from(cfg);
  return std::make_unique<ingest::HarvestScheduler>(
      [&store, http_options, oai = *options](const std::atomic<bool>& stop) {
        auto client_options = http_options;
        client_options.cancel = &stop;  // shutdown cuts a transfer short
        ingest::HttpClient http(client_options);
        auto run = oai;
        run.stop = &stop;
        return ingest::OaiPmhHarvester(store, http, run).run();
      },
      *minute, lease, kLeaseCheckS);
}

// Paper submissions: the curation store, and arXiv look-ups through the API (harvest.api_url) with
// the harvester's politeness but a short retry budget, since a reader waits for the answer.
struct Submissions {
  std::unique_ptr<ingest::HttpClient> http;
  std::unique_ptr<ingest::ArxivApiClient> api;
};

Submissions open_submissions(const config::Config& cfg, store::CurationStore& curation, web::ServerOptions& options) {
  Submissions out;
  auto http_options = ingest::http_options_from(cfg);
  http_options.timeout_s = std::min(http_options.timeout_s, 30.0);
  out.http = std::make_unique<ingest::HttpClient>(http_options);
  auto api_options = ingest::api_options_from(cfg);
  api_options.retry.max_attempts = std::min(api_options.retry.max_attempts, 2);
  api_options.retry.initial_backoff_s = std::min(api_options.retry.initial_backoff_s, 2.0);
  api_options.retry.max_retry_after_s = 10;
  out.api = std::make_unique<ingest::ArxivApiClient>(*out.http, api_options);
  options.curation = &curation;
  options.paper_lookup = [api = out.api.get()](std::string_view id) { return api->fetch_paper(id); };
  return out;
}

// Applies store changes to the search indexes every couple of seconds, so papers ingested or
// harvested while serving become searchable without a restart.
class IndexFollower {
 public:
  explicit IndexFollower(search::SearchService& search) : search_(search), thread_([this] { run(); }) {}
  ~IndexFollower() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

 private:
  void run() {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; })) {
      lock.unlock();
      Status s = core::guard_job("search index update", [this] { return search_.catch_up(); });
      if (!s.is_ok()) spdlog::error("search index update failed: {}", s.to_string());
      lock.lock();
    }
  }

  search::SearchService& search_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The gauges /metrics reads from the parts `serve` assembles (metrics.enabled).
void add_serve_gauges(web::Metrics& metrics, store::Store& store, search::SearchService& search, store::MailStore& mail,
                      const ingest::HarvestScheduler* harvest) {
  metrics.add_gauge("paperboy_db_pool_connections_open",
                    "Database connections the store's pool holds open (lent out or idle).",
                    [&store] { return static_cast<double>(store.pool_use().open); });
  metrics.add_gauge("paperboy_db_pool_connections_in_use", "Database connections lent out to a request or job now.",
                    [&store] { return static_cast<double>(store.pool_use().in_use); });
  metrics.add_gauge("paperboy_db_pool_connections_max",
                    "The most connections the pool opens (0: no limit, as for SQLite's readers).",
                    [&store] { return static_cast<double>(store.pool_use().max); });
  metrics.add_gauge(
      "paperboy_search_index_lag_changes",
      "Store changes the search index has not applied yet (serve applies them every 2 s).", [&store, &search] {
        auto seq = store.max_change_seq();
        return seq ? static_cast<double>(std::max<std::int64_t>(0, *seq - search.indexed_seq())) : std::nan("");
      });
  auto outbox = [&mail](bool failed) {
    auto counts = mail.outbox_counts();
    if (!counts) return std::nan("");
    return static_cast<double>(failed ? counts->failed : counts->pending + counts->sending);
  };
  metrics.add_gauge("paperboy_outbox_pending", "Mails waiting in the outbox (pending or being sent).",
                    [outbox] { return outbox(false); });
  metrics.add_gauge("paperboy_outbox_failed", "Mails that failed for good.", [outbox] { return outbox(true); });
  if (harvest == nullptr) return;  // harvest.schedule off
  metrics.add_gauge("paperboy_harvest_last_success_timestamp_seconds",
                    "When the last scheduled harvest finished, if it succeeded (Unix time; 0: none yet).", [harvest] {
                      auto s = harvest->status();
                      return s.last_ok ? static_cast<double>(s.last_finished) : 0.0;
                    });
  metrics.add_gauge("paperboy_harvest_last_records", "Records the last scheduled harvest saw.",
                    [harvest] { return static_cast<double>(harvest->status().last_records); });
}

}  // namespace

// Every part of a serving process. Members are destroyed in reverse order: the web server first
// (no request reaches a part that is gone), the database last.
struct App::Parts {
  config::Config cfg;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<search::SearchService> search;
  std::unique_ptr<IndexFollower> follower;
  Submissions submissions;
  std::unique_ptr<rank::CommunitySignals> signals;
  std::unique_ptr<rank::Recommender> recommender;
  std::unique_ptr<MailServices> mail;
  std::unique_ptr<mail::NoticeMailer> notices;
  std::vector<std::unique_ptr<store::JobLease>> leases;
  std::unique_ptr<mail::DigestScheduler> digests;
  std::unique_ptr<mail::SubscriptionService> subscriptions;
  std::unique_ptr<ingest::HarvestScheduler> harvest;
  std::unique_ptr<thumbs::ThumbnailScheduler> thumbnails;
  std::unique_ptr<web::Metrics> metrics;
  std::unique_ptr<web::WebServer> server;

  Result<store::JobLease*> lease_for(std::string_view job) {
    auto lease = db->job_lease(job);
    if (!lease) return fail(lease.error());
    leases.push_back(std::move(*lease));
    return leases.back().get();
  }
};

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
App::~App() = default;

Result<std::unique_ptr<App>> App::create(const config::Config& config) {
  auto p = std::make_unique<Parts>();
  p->cfg = config;
  const config::Config& cfg = p->cfg;
  auto db = store::open_database({.url = cfg.database_url()});
  if (!db) return fail(db.error());
  p->db = std::move(*db);
  store::Store& store = p->db->papers();
  if (Status s = load_demo_if_empty(store, cfg); !s.is_ok()) return fail(s);

  // Search indexes are derived data: opening them brings them up to date with the store (a full
  // build the first time), and a follower keeps them current while serving.
  spdlog::info("opening search indexes");
  auto search = search::open_search_service(store, search::search_options_from(cfg));
  if (!search) return fail(search.error().with_context("search indexes"));
  p->search = std::move(*search);
  p->follower = std::make_unique<IndexFollower>(*p->search);

  web::ServerOptions options = web::server_options_from(cfg);
  options.search = p->search.get();
  options.katex_dir = (assets_dir(cfg) / "katex").string();

  // Accounts and votes (community.enabled): they also rank trending digests.
  store::CommunityStore* community = nullptr;
  if (cfg.community.enabled) {
    community = &p->db->community();
    options.community = community;
    p->submissions = open_submissions(cfg, p->db->curation(), options);
  }
  // Collections, follows and comments (library.enabled, with the community features).
  store::LibraryStore* library = nullptr;
  if (cfg.community.enabled && cfg.library.enabled) {
    library = &p->db->library();
    options.library = library;
  }
  // Personal recommendations learn from upvotes, saves and follows: they need the community features.
  mail::StoreDigestSource::PersonalRanker personal;
  if (community != nullptr) {
    p->signals = std::make_unique<rank::CommunitySignals>(*community, library);
    p->recommender =
        std::make_unique<rank::Recommender>(store, *p->search, *p->signals, rank::recommender_options_from(cfg));
    options.recommender = p->recommender.get();
    personal = personal_ranker(*p->recommender);
  }

  // E-mail digests: subscriptions always work (mail waits in the outbox); sending and the digest
  // schedule need mail.smtp_url.
  auto mail = open_mail_services(*p->db, cfg, "http://" + cfg.server.host + ":" + std::to_string(cfg.server.port),
                                 community, std::move(personal));
  if (!mail) return fail(mail.error());
  p->mail = std::move(*mail);
  // Password reset links go out through the same SMTP server (without one they are logged).
  if (p->mail->sender) {
    p->notices = std::make_unique<mail::NoticeMailer>(*p->mail->sender, mail::NoticeOptions{.from = cfg.mail.from});
    options.send_mail = [n = p->notices.get()](const std::string& to, const std::string& subject,
                                               const std::string& body) { n->send(to, subject, body); };
  }
  auto send_at = ingest::parse_time_of_day(cfg.mail.send_at);
  if (!send_at) return fail(send_at.error().with_context("mail.send_at"));
  // Scheduled jobs run on one instance of those sharing the database: the one holding the job's
  // lease (always this one on SQLite).
  if (p->mail->sender) {
    auto lease = p->lease_for("digest");
    if (!lease) return fail(lease.error());
    p->digests = std::make_unique<mail::DigestScheduler>(*p->mail->outbox, cfg.mail.schedule ? *send_at : -1,
                                                         cfg.mail.poll_s, *lease);
  }
  p->subscriptions = std::make_unique<mail::SubscriptionService>(*p->mail->mail, *p->mail->links, *p->mail->outbox,
                                                                 [d = p->digests.get()] {
                                                                   if (d != nullptr) d->wake();
                                                                 });
  options.subscriptions = p->subscriptions.get();
  options.is_mail_configured = p->mail->sender != nullptr;
  // The daily harvest runs only when harvest.schedule is on (off by default, so demos and tests
  // never reach the network).
  if (cfg.harvest.schedule) {
    auto lease = p->lease_for("harvest");
    if (!lease) return fail(lease.error());
    auto scheduled = make_harvest_scheduler(store, cfg, *lease);
    if (!scheduled) return fail(scheduled.error());
    p->harvest = std::move(*scheduled);
    options.is_harvest_scheduled = true;
  }
  // Thumbnails: cards and the API show those that exist; the job that makes them runs only when
  // thumbnails.enabled is on (off by default: it fetches from arXiv), on the lease holder.
  options.thumbnails = &p->db->thumbnails();
  options.thumbnail_dir = cfg.thumbnail_dir();
  if (cfg.thumbnails.enabled) {
    auto lease = p->lease_for("thumbnails");
    if (!lease) return fail(lease.error());
    if (cfg.thumbnails.contact.empty() && cfg.harvest.contact.empty()) {
      spdlog::warn("thumbnails.contact is empty: arXiv asks for a contact address in the User-Agent");
    }
    p->thumbnails = std::make_unique<thumbs::ThumbnailScheduler>(
        p->db->thumbnails(), store::ThumbnailFiles(cfg.thumbnail_dir()), thumbs::thumbnail_http_options_from(cfg),
        thumbs::thumbnail_job_options_from(cfg), cfg.thumbnails.poll_s, *lease, kLeaseCheckS);
  }
  options.health_details = [s = p->harvest.get(), d = p->digests.get(), t = p->thumbnails.get(), leases = &p->leases] {
    nlohmann::json out = s != nullptr ? s->status_json() : nlohmann::json::object();
    if (d != nullptr) out.update(d->status_json());
    if (t != nullptr) out.update(t->status_json());
    // Which scheduled jobs this instance runs now, and which it stands by for.
    nlohmann::json leads = nlohmann::json::array(), standby = nlohmann::json::array();
    for (const auto& lease : *leases) (lease->is_held() ? leads : standby).push_back(lease->job());
    out["jobs"] = {{"leads", leads}, {"standby", standby}};
    return out;
  };
  if (cfg.metrics.enabled) {
    p->metrics = std::make_unique<web::Metrics>();
    add_serve_gauges(*p->metrics, store, *p->search, *p->mail->mail, p->harvest.get());
    options.metrics = p->metrics.get();
  }
  auto server = web::WebServer::create(store, std::move(options));
  if (!server) return fail(server.error());
  p->server = std::move(*server);
  return std::unique_ptr<App>(new App(std::move(p)));
}

Result<int> App::bind() {
  return parts_->server->bind();
}

int App::metrics_port() const {
  return parts_->server->metrics_port();
}

Status App::run() {
  Parts& p = *parts_;
  if (p.harvest) p.harvest->start();
  if (p.digests) p.digests->start();
  if (p.thumbnails) p.thumbnails->start();
  p.server->stop_on_signals();  // graceful: requests in flight are answered first
  Status s = p.server->run();
  if (p.harvest) p.harvest->stop();
  if (p.digests) p.digests->stop();
  if (p.thumbnails) p.thumbnails->stop();
  return s;
}

}  // namespace paperboy::cli
