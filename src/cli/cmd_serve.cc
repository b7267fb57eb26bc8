// `paperboy serve`: the web site. Loads the bundled demo data into an empty database first.
#include <spdlog/spdlog.h>

#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/assets_dir.h"
#include "cli/command.h"
#include "cli/mail_services.h"
#include "core/job_guard.h"
#include "ingest/arxiv_api.h"
#include "ingest/harvest_schedule.h"
#include "ingest/snapshot_ingest.h"
#include "mail/notice_mailer.h"
#include "mail/subscriptions.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/job_lease.h"
#include "store/library_store.h"
#include "store/store.h"
#include "web/metrics.h"
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
  std::unique_ptr<store::CurationStore> curation;
  std::unique_ptr<ingest::HttpClient> http;
  std::unique_ptr<ingest::ArxivApiClient> api;
};

Result<Submissions> open_submissions(const config::Config& cfg, web::ServerOptions& options) {
  Submissions out;
  store::StoreOptions store_options;
  store_options.url = cfg.database_url();
  auto curation = store::open_curation_store(store_options);
  if (!curation) return fail(curation.error());
  out.curation = std::move(*curation);
  auto http_options = ingest::http_options_from(cfg);
  http_options.timeout_s = std::min(http_options.timeout_s, 30.0);
  out.http = std::make_unique<ingest::HttpClient>(http_options);
  auto api_options = ingest::api_options_from(cfg);
  api_options.retry.max_attempts = std::min(api_options.retry.max_attempts, 2);
  api_options.retry.initial_backoff_s = std::min(api_options.retry.initial_backoff_s, 2.0);
  api_options.retry.max_retry_after_s = 10;
  out.api = std::make_unique<ingest::ArxivApiClient>(*out.http, api_options);
  options.curation = out.curation.get();
  options.paper_lookup = [api = out.api.get()](std::string_view id) { return api->fetch_paper(id); };
  options.submission_options.max_age_days = cfg.community.submit_max_age_days;
  options.submission_options.per_account = cfg.community.submissions_per_hour;
  options.submission_options.window_s = 3600;
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

// The server.* limits (the option table holds each to at least 1).
Result<web::ConnectionLimits> connection_limits(const config::Config& cfg) {
  const auto& s = cfg.server;
  web::ConnectionLimits l;
  l.max_target_bytes = static_cast<size_t>(s.max_target_bytes);
  l.max_header_bytes = static_cast<size_t>(s.max_header_bytes);
  l.max_headers = static_cast<size_t>(s.max_headers);
  l.max_body_bytes = static_cast<size_t>(s.max_body_bytes);
  l.read_timeout_ms = s.read_timeout_ms;
  l.idle_timeout_ms = s.idle_timeout_ms;
  l.write_timeout_ms = s.write_timeout_ms;
  l.max_connections = s.max_connections;
  l.max_connections_per_address = s.max_connections_per_address;
  l.max_requests_per_connection = s.max_requests_per_connection;
  return l;
}

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

void add_serve_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("serve", "Run the web server");
  add_config_flag(*cmd, inv, "--host", "server.host", "address to listen on");
  add_config_flag(*cmd, inv, "--port", "server.port", "port to listen on (0: any free port)");
  add_config_flag(*cmd, inv, "--threads", "server.threads", "requests in handlers at once (worker threads)");
  add_config_flag(*cmd, inv, "--public-url", "server.public_url", "absolute base URL for links in mails and feeds");
  add_config_flag(*cmd, inv, "--assets-dir", "server.assets_dir", "folder with katex/ and demo-papers.jsonl.zst");
  add_config_flag(*cmd, inv, "--smtp-url", "mail.smtp_url", "SMTP server for digests: smtp://HOST:PORT or smtps://");
  cmd->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto store = open_store(*cfg);
    if (!store) die(store.error());
    if (Status s = load_demo_if_empty(**store, *cfg); !s.is_ok()) die(s);

    // Search indexes are derived data: opening them brings them up to date with the store (a full
    // build the first time), and a follower keeps them current while serving.
    spdlog::info("opening search indexes");
    auto search = search::open_search_service(**store, search_options(*cfg));
    if (!search) die(search.error().with_context("search indexes"));
    IndexFollower follower(**search);

    web::ServerOptions options;
    options.search = search->get();
    options.host = cfg->server.host;
    options.port = cfg->server.port;
    options.threads = cfg->server.threads;
    options.katex_dir = (assets_dir(*cfg) / "katex").string();
    options.public_url = cfg->server.public_url;
    options.generation_reads_database = store::is_postgres_store_url(cfg->database_url());
    if (auto limits = connection_limits(*cfg); limits) {
      options.limits = *limits;
    } else {
      die(limits.error());
    }
    options.io_threads = cfg->server.io_threads;
    options.max_queued = static_cast<size_t>(std::max(1, cfg->server.max_queued));
    options.trusted_proxies = cfg->server.trusted_proxies;
    options.access_log = cfg->server.access_log != "off";  // json, combined or off (checked at load)
    options.access_log_format =
        cfg->server.access_log == "combined" ? web::AccessLogFormat::kCombined : web::AccessLogFormat::kJson;
    if (auto proxies = web::TrustedProxies::parse(options.trusted_proxies); !proxies) die(proxies.error());

    // Accounts and votes (community.enabled): they also rank trending digests.
    std::unique_ptr<store::CommunityStore> community;
    Submissions submissions;
    if (cfg->community.enabled) {
      auto opened = open_community_store(*cfg);
      if (!opened) die(opened.error());
      community = std::move(*opened);
      auto accounts = account_options(*cfg);
      if (!accounts) die(accounts.error());
      options.community = community.get();
      options.account_options = *accounts;
      auto opened_submissions = open_submissions(*cfg, options);
      if (!opened_submissions) die(opened_submissions.error());
      submissions = std::move(*opened_submissions);
    }
    // Collections, follows and comments (library.enabled, with the community features).
    std::unique_ptr<store::LibraryStore> library;
    if (cfg->community.enabled && cfg->library.enabled) {
      const auto& l = cfg->library;
      store::StoreOptions library_options;
      library_options.url = cfg->database_url();
      auto opened = store::open_library_store(library_options);
      if (!opened) die(opened.error());
      library = std::move(*opened);
      options.library = library.get();
      options.library_options.comment_max_bytes = static_cast<size_t>(l.comment_max_bytes);
      options.library_options.comments_per_window = l.comments_per_window;
      options.library_options.comment_window_s = l.comment_window_s;
    }
    // Personal recommendations learn from upvotes, saves and follows: they need the community features.
    std::unique_ptr<rank::CommunitySignals> signals;
    std::unique_ptr<rank::Recommender> recommender;
    mail::StoreDigestSource::PersonalRanker personal;
    if (community) {
      auto recommend = recommender_options(*cfg);
      if (!recommend) die(recommend.error());
      signals = std::make_unique<rank::CommunitySignals>(*community, library.get());
      recommender = std::make_unique<rank::Recommender>(**store, **search, *signals, *recommend);
      options.recommender = recommender.get();
      personal = personal_ranker(*recommender);
    }

    // E-mail digests: subscriptions always work (mail waits in the outbox); sending and the digest
    // schedule need mail.smtp_url.
    auto mail = open_mail_services(**store, *cfg, "http://" + cfg->server.host + ":" + std::to_string(cfg->server.port),
                                   community.get(), std::move(personal));
    if (!mail) die(mail.error());
    // Password reset links go out through the same SMTP server (without one they are logged).
    std::unique_ptr<mail::NoticeMailer> notices;
    if ((*mail)->sender) {
      notices = std::make_unique<mail::NoticeMailer>(*(*mail)->sender, mail::NoticeOptions{.from = cfg->mail.from});
      options.send_mail = [n = notices.get()](const std::string& to, const std::string& subject,
                                              const std::string& body) { n->send(to, subject, body); };
    }
    auto send_at = ingest::parse_time_of_day(cfg->mail.send_at);
    if (!send_at) die(send_at.error().with_context("mail.send_at"));
    // Scheduled jobs run on one instance of those sharing the database: the one holding the job's
    // lease (always this one on SQLite).
    std::vector<std::unique_ptr<store::JobLease>> leases;
    auto lease_for = [&](std::string_view job) {
      auto lease = store::open_job_lease({.url = cfg->database_url()}, job);
      if (!lease) die(lease.error());
      leases.push_back(std::move(*lease));
      return leases.back().get();
    };
    std::unique_ptr<mail::DigestScheduler> digests;
    if ((*mail)->sender) {
      digests = std::make_unique<mail::DigestScheduler>(*(*mail)->outbox, cfg->mail.schedule ? *send_at : -1,
                                                        cfg->mail.poll_s, lease_for("digest"));
    }
    mail::SubscriptionService subscriptions(*(*mail)->mail, *(*mail)->links, *(*mail)->outbox, [d = digests.get()] {
      if (d != nullptr) d->wake();
    });
    options.subscriptions = &subscriptions;
    // The daily harvest runs only when harvest.schedule is on (off by default, so demos and tests
    // never reach the network).
    std::unique_ptr<ingest::HarvestScheduler> scheduler;
    if (cfg->harvest.schedule) {
      auto scheduled = make_harvest_scheduler(**store, *cfg, lease_for("harvest"));
      if (!scheduled) die(scheduled.error());
      scheduler = std::move(*scheduled);
    }
    options.health_details = [s = scheduler.get(), d = digests.get(), &leases] {
      nlohmann::json out = s != nullptr ? s->status_json() : nlohmann::json::object();
      if (d != nullptr) out.update(d->status_json());
      // Which scheduled jobs this instance runs now, and which it stands by for.
      nlohmann::json leads = nlohmann::json::array(), standby = nlohmann::json::array();
      for (const auto& lease : leases) (lease->is_held() ? leads : standby).push_back(lease->job());
      out["jobs"] = {{"leads", leads}, {"standby", standby}};
      return out;
    };
    std::unique_ptr<web::Metrics> metrics;
    if (cfg->metrics.enabled) {
      metrics = std::make_unique<web::Metrics>();
      add_serve_gauges(*metrics, **store, **search, *(*mail)->mail, scheduler.get());
      options.metrics = metrics.get();
      options.metrics_listen = cfg->metrics.listen;
    }
    web::WebServer server(**store, options);
    auto port = server.bind();
    if (!port) die(port.error());
    if (scheduler) scheduler->start();
    if (digests) digests->start();
    server.stop_on_signals();  // graceful: requests in flight are answered first
    std::printf("paperboy serving on http://%s:%d/\n", cfg->server.host.c_str(), *port);
    if (server.metrics_port() > 0) {
      std::printf("paperboy metrics on %s (port %d)\n", cfg->metrics.listen.c_str(), server.metrics_port());
    }
    std::fflush(stdout);
    Status s = server.run();
    if (scheduler) scheduler->stop();
    if (digests) digests->stop();
    if (!s.is_ok()) die(s);
    spdlog::info("stopped");
  });
}

}  // namespace paperboy::cli
