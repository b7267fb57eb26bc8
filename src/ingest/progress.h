// IngestProgress: tells a person how far a bulk ingest has got. On a terminal it redraws one
// status line on stderr (a bar, records/s and the ETA); otherwise it logs a plain line every few
// seconds, so logs of unattended runs stay readable. The ETA compares the bytes read from the file
// (compressed bytes for .gz/.zst) with its size. Used by snapshot ingest; one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace paperboy::ingest {

class IngestProgress {
 public:
  // `bar`: draw a live bar (only when stderr is a terminal); `total_bytes` = the file's size.
  IngestProgress(bool bar, std::string label, std::uint64_t total_bytes);

  // Records done so far in this file and bytes of the file read so far.
  void update(std::int64_t records, std::uint64_t bytes_read);
  // Ends the bar's line (or logs the final figures).
  void finish(std::int64_t records, std::uint64_t bytes_read);

  // "[#####     ] 52%  120,000 rec  48,000 rec/s  ETA 0:03": what one update shows.
  [[nodiscard]] std::string render(std::int64_t records, std::uint64_t bytes_read, double seconds, int width) const;

 private:
  using Clock = std::chrono::steady_clock;
  [[nodiscard]] double elapsed() const;

  bool bar_;
  std::string label_;
  std::uint64_t total_bytes_;
  Clock::time_point start_;
  Clock::time_point last_shown_;
  bool shown_ = false;
};

}  // namespace paperboy::ingest
