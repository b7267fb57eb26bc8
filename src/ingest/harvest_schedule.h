// The harvest schedule of `paperboy serve`: a background thread that runs the OAI-PMH harvest once
// a day at a configured UTC time (after arXiv's announcement), one run at a time, logging each run
// and keeping its outcome for /healthz. Also turns the `harvest` config section into the options of
// HttpClient, OaiPmhHarvester and ArxivApiClient (shared with `paperboy harvest` and `fetch`).
// With several instances on one database the harvest runs only on the instance holding the
// "harvest" JobLease (store/job_lease.h), re-tried every `lease_check_s`; a run that falls due
// elsewhere is skipped (the next one is a day later), so each daily harvest happens once.
// HarvestScheduler is thread-safe: status() and trigger() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/status.h"
#include "ingest/arxiv_api.h"
#include "ingest/http_client.h"
#include "ingest/oai_pmh.h"
#include "store/job_lease.h"

namespace paperboy::ingest {

// The `harvest` config section as component options. Fails on an unknown prefix.
[[nodiscard]] HttpClientOptions http_options_from(const config::Config& config);
[[nodiscard]] RetryPolicy retry_policy_from(const config::Config& config);
[[nodiscard]] Result<OaiPmhOptions> oai_options_from(const config::Config& config);
[[nodiscard]] ArxivApiOptions api_options_from(const config::Config& config);

// "03:00" -> minutes after midnight (180). kInvalidArgument unless HH:MM with HH < 24, MM < 60.
[[nodiscard]] Result<int> parse_time_of_day(std::string_view text);
// The first moment strictly after `now` (Unix seconds) at `minute_of_day` UTC.
[[nodiscard]] std::int64_t next_daily_run(std::int64_t now, int minute_of_day);

struct HarvestRunStatus {
  std::int64_t runs = 0;
  bool is_running = false;
  std::int64_t last_started = 0;  // Unix seconds; 0 = never
  std::int64_t last_finished = 0;
  bool last_ok = false;
  std::int64_t last_records = 0;   // records seen by the last run
  std::int64_t last_inserted = 0;  // papers added by the last run
  std::int64_t last_updated = 0;
  std::string last_error;  // empty when the last run succeeded
  std::int64_t next_run = 0;
  bool is_leader = true;          // holds the harvest lease (always, without one)
  std::int64_t skipped_runs = 0;  // runs that fell due while another instance led
};

class HarvestScheduler {
 public:
  // Runs one harvest; the flag asks it to stop early (shutdown).
  using HarvestFn = std::function<Result<HarvestSummary>(const std::atomic<bool>& stop)>;

  // `lease`: run only while it is held (null: always); refreshed every `lease_check_s` seconds.
  HarvestScheduler(HarvestFn harvest, int minute_of_day, store::JobLease* lease = nullptr, double lease_check_s = 5);
  ~HarvestScheduler();  // stop()s
  HarvestScheduler(const HarvestScheduler&) = delete;
  HarvestScheduler& operator=(const HarvestScheduler&) = delete;

  void start();
  // Asks a running harvest to stop, and joins the thread.
  void stop();
  // Runs a harvest now (in the scheduler's thread). False when one is already running.
  bool trigger();

  [[nodiscard]] HarvestRunStatus status() const;
  // For /healthz: {"harvest": {"schedule": ..., "last_run": ..., "records_added": ..., ...}}.
  [[nodiscard]] nlohmann::json status_json() const;

 private:
  void loop();
  void run_once();
  bool refresh_lease();

  HarvestFn harvest_;
  int minute_of_day_;
  store::JobLease* lease_;
  double lease_check_s_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool triggered_ = false;
  std::atomic<bool> stopping_{false};
  HarvestRunStatus status_;
  std::thread thread_;
};

}  // namespace paperboy::ingest
