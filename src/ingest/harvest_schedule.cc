#include "ingest/harvest_schedule.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/job_guard.h"
#include "core/time.h"

namespace paperboy::ingest {

HttpClientOptions http_options_from(const config::Config& config) {
  HttpClientOptions o;
  o.user_agent = make_user_agent(config.harvest.contact);
  o.timeout_s = config.harvest.timeout_s;
  o.min_interval_s = config.harvest.min_interval_s;
  return o;
}

RetryPolicy retry_policy_from(const config::Config& config) {
  RetryPolicy r;
  r.max_attempts = std::max(1, config.harvest.max_attempts);
  r.initial_backoff_s = config.harvest.backoff_s;
  return r;
}

Result<OaiPmhOptions> oai_options_from(const config::Config& config) {
  OaiPmhOptions o;
  o.base_url = config.harvest.base_url;
  auto format = parse_metadata_prefix(config.harvest.prefix);
  if (!format) return fail(format.error().with_context("harvest.prefix"));
  o.format = *format;
  std::string sets = config.harvest.sets;
  size_t pos = 0;
  while (pos <= sets.size()) {
    size_t end = sets.find(',', pos);
    if (end == std::string::npos) end = sets.size();
    std::string s = sets.substr(pos, end - pos);
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (!s.empty()) o.sets.push_back(s);
    pos = end + 1;
  }
  o.retry = retry_policy_from(config);
  return o;
}

ArxivApiOptions api_options_from(const config::Config& config) {
  ArxivApiOptions o;
  o.api_url = config.harvest.api_url;
  o.retry = retry_policy_from(config);
  return o;
}

Result<int> parse_time_of_day(std::string_view text) {
  auto bad = [&] { return fail(Status::invalid_argument("expected HH:MM (UTC), got '" + std::string(text) + "'")); };
  if (text.size() != 5 || text[2] != ':') return bad();
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return bad();
  return h * 60 + m;
}

std::int64_t next_daily_run(std::int64_t now, int minute_of_day) {
  constexpr std::int64_t kDay = 86400;
  std::int64_t midnight = now - ((now % kDay) + kDay) % kDay;
  std::int64_t candidate = midnight + static_cast<std::int64_t>(minute_of_day) * 60;
  return candidate > now ? candidate : candidate + kDay;
}

HarvestScheduler::HarvestScheduler(HarvestFn harvest, int minute_of_day, store::JobLease* lease, double lease_check_s)
    : harvest_(std::move(harvest)), minute_of_day_(minute_of_day), lease_(lease), lease_check_s_(lease_check_s) {}

HarvestScheduler::~HarvestScheduler() { stop(); }

void HarvestScheduler::start() {
  {
    std::lock_guard lock(mu_);
    status_.next_run = next_daily_run(core::unix_now(), minute_of_day_);
  }
  spdlog::info("harvest schedule: daily at {:02}:{:02} UTC, next run {}", minute_of_day_ / 60, minute_of_day_ % 60,
               core::format_iso_datetime(status_.next_run));
  thread_ = std::thread([this] { loop(); });
}

void HarvestScheduler::stop() {
  stopping_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool HarvestScheduler::trigger() {
  std::lock_guard lock(mu_);
  if (status_.is_running || triggered_) return false;
  triggered_ = true;
  wake_.notify_all();
  return true;
}

bool HarvestScheduler::refresh_lease() {
  if (lease_ == nullptr) return true;
  auto held = lease_->refresh();
  if (!held) spdlog::warn("harvest schedule: {}", held.error().to_string());
  bool leads = held && *held;
  std::lock_guard lock(mu_);
  if (leads != status_.is_leader) {
    spdlog::info(leads ? "harvest schedule: this instance now runs the scheduled harvest"
                       : "harvest schedule: another instance runs the scheduled harvest");
  }
  status_.is_leader = leads;
  return leads;
}

void HarvestScheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto due = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(status_.next_run));
    if (lease_ != nullptr) {
      // Wake at least every lease_check_s: to take the lease over when its holder dies.
      auto tick = std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                         std::chrono::duration<double>(lease_check_s_));
      due = std::min(due, tick);
    }
    wake_.wait_until(lock, due,
                     [&] { return stopping_.load() || triggered_ || std::chrono::system_clock::now() >= due; });
    if (stopping_) break;
    bool is_due = triggered_ || core::unix_now() >= status_.next_run;
    lock.unlock();
    bool leads = false;
    Status lease = core::guard_job("harvest lease", [&] {
      leads = refresh_lease();
      return Status::ok();
    });
    if (!lease.is_ok()) spdlog::error("harvest schedule: {}", lease.to_string());
    lock.lock();
    if (!is_due) continue;
    triggered_ = false;
    if (!leads) {
      ++status_.skipped_runs;
      spdlog::info("scheduled harvest: skipped, another instance runs it");
    } else {
      status_.is_running = true;
      lock.unlock();
      run_once();
      lock.lock();
      status_.is_running = false;
    }
    status_.next_run = next_daily_run(core::unix_now(), minute_of_day_);
  }
}

void HarvestScheduler::run_once() {
  std::int64_t started = core::unix_now();
  {
    std::lock_guard lock(mu_);
    status_.last_started = started;
    ++status_.runs;
  }
  spdlog::info("scheduled harvest: starting");
  auto summary = core::guard_job("scheduled harvest", [&] { return harvest_(stopping_); });
  std::lock_guard lock(mu_);
  status_.last_finished = core::unix_now();
  status_.last_ok = summary.has_value();
  if (summary) {
    status_.last_error.clear();
    status_.last_records = summary->records;
    status_.last_inserted = summary->inserted;
    status_.last_updated = summary->updated;
    spdlog::info("scheduled harvest: done: {} records, {} new, {} updated, {} rejected in {:.1f} s", summary->records,
                 summary->inserted, summary->updated, summary->rejected, summary->seconds);
  } else {
    status_.last_error = summary.error().to_string();
    status_.last_records = status_.last_inserted = status_.last_updated = 0;
    spdlog::error("scheduled harvest failed: {}", status_.last_error);
  }
}

HarvestRunStatus HarvestScheduler::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

nlohmann::json HarvestScheduler::status_json() const {
  HarvestRunStatus s = status();
  auto when = [](std::int64_t t) -> nlohmann::json {
    return t == 0 ? nlohmann::json(nullptr) : nlohmann::json(core::format_iso_datetime(t));
  };
  char daily[32];
  std::snprintf(daily, sizeof daily, "%02d:%02d", minute_of_day_ / 60, minute_of_day_ % 60);
  return {{"harvest",
           {{"schedule", std::string("daily at ") + daily + " UTC"},
            {"runs", s.runs},
            {"running", s.is_running},
            {"last_run", when(s.last_started)},
            {"last_finished", when(s.last_finished)},
            {"last_ok", s.runs > 0 ? nlohmann::json(s.last_ok) : nlohmann::json(nullptr)},
            {"records_seen", s.last_records},
            {"records_added", s.last_inserted},
            {"records_updated", s.last_updated},
            {"last_error", s.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_error)},
            {"next_run", when(s.next_run)},
            {"leader", s.is_leader},
            {"skipped_runs", s.skipped_runs}}}};
}

}  // namespace paperboy::ingest
