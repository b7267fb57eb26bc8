#include "ingest/progress.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace paperboy::ingest {
namespace {

constexpr auto kBarInterval = std::chrono::milliseconds(200);
constexpr auto kLogInterval = std::chrono::seconds(10);

std::string format_duration(double seconds) {
  auto s = static_cast<long long>(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

IngestProgress::IngestProgress(bool bar, std::string label, std::uint64_t total_bytes)
    : bar_(bar), label_(std::move(label)), total_bytes_(total_bytes), start_(Clock::now()), last_shown_(start_) {}

double IngestProgress::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string IngestProgress::render(std::int64_t records, std::uint64_t bytes_read, double seconds, int width) const {
  double fraction = total_bytes_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(bytes_read) / static_cast<double>(total_bytes_));
  double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0;
  std::string eta = "?";
  if (fraction > 0 && seconds > 0) eta = format_duration(seconds * (1 - fraction) / fraction);
  std::string out;
  if (width > 0) {
    int filled = static_cast<int>(fraction * width);
    out = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), ' ') + "] ";
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "%3d%%  %lld records  %.0f rec/s  ETA %s", static_cast<int>(fraction * 100),
                static_cast<long long>(records), rate, eta.c_str());
  return out + buf;
}

void IngestProgress::update(std::int64_t records, std::uint64_t bytes_read) {
  auto now = Clock::now();
  if (now - last_shown_ < (bar_ ? std::chrono::duration_cast<Clock::duration>(kBarInterval)
                                : std::chrono::duration_cast<Clock::duration>(kLogInterval))) {
    return;
  }
  last_shown_ = now;
  shown_ = true;
  if (bar_) {
    std::fprintf(stderr, "\r%s %s\x1b[K", label_.c_str(), render(records, bytes_read, elapsed(), 30).c_str());
    std::fflush(stderr);
  } else {
    spdlog::info("{}: {}", label_, render(records, bytes_read, elapsed(), 0));
  }
}

void IngestProgress::finish(std::int64_t records, std::uint64_t bytes_read) {
  if (bar_) {
    if (!shown_) return;
    std::fprintf(stderr, "\r%s %s\x1b[K\n", label_.c_str(), render(records, bytes_read, elapsed(), 30).c_str());
    std::fflush(stderr);
  } else if (shown_) {
    spdlog::info("{}: done, {}", label_, render(records, bytes_read, elapsed(), 0));
  }
}

}  // namespace paperboy::ingest
