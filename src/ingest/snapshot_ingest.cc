#include "ingest/snapshot_ingest.h"

#include <spdlog/spdlog.h>
#include <pthread.h>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "ingest/line_reader.h"
#include "ingest/progress.h"
#include "ingest/snapshot_record.h"

namespace paperboy::ingest {
namespace {

constexpr int kDefaultRejectsLogged = 100;

// Where a file's ingest stands, stored in the same transaction as the batch it describes. Size and
// mtime identify the file's content: when either differs the file changed and we start over.
struct Checkpoint {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t line = 0;       // last line covered (1-based physical line number)
  std::uint64_t offset = 0;    // uncompressed byte offset after that line
  std::int64_t records = 0;    // non-blank lines covered
  bool complete = false;
};

std::string encode_checkpoint(const Checkpoint& c) {
  nlohmann::ordered_json j{{"size", c.size},   {"mtime_ns", c.mtime_ns}, {"line", c.line},
                           {"offset", c.offset}, {"records", c.records},  {"complete", c.complete}};
  return j.dump();
}

// nullopt for anything we cannot read: an unreadable checkpoint only costs a re-read.
std::optional<Checkpoint> decode_checkpoint(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  Checkpoint c;
  auto get = [&](const char* key, auto& into) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return false;
    if constexpr (std::is_same_v<std::decay_t<decltype(into)>, bool>) {
      if (!it->is_boolean()) return false;
    } else if (!it->is_number_integer()) {
      return false;
    }
    into = it->template get<std::decay_t<decltype(into)>>();
    return true;
  };
  if (!get("size", c.size) || !get("mtime_ns", c.mtime_ns) || !get("line", c.line) || !get("offset", c.offset) ||
      !get("records", c.records) || !get("complete", c.complete)) {
    return std::nullopt;
  }
  return c;
}

// One file to ingest, identified as the checkpoint sees it.
struct FileJob {
  std::string path;  // as given, for messages
  std::string key;   // checkpoint key
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

Result<FileJob> describe_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(Status::io_error("cannot open " + path + ": " + std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return fail(Status::invalid_argument(path + " is a directory"));
  FileJob job;
  job.path = path;
  job.key = checkpoint_key(path);
  job.size = static_cast<std::uint64_t>(st.st_size);
  job.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return job;
}

// What the reader thread hands the writer: one transaction's worth of papers plus the rejected
// lines and the checkpoint that become true once it commits.
struct Chunk {
  store::WriteBatch batch;
  std::vector<std::string> rejects;
  std::int64_t records = 0;        // non-blank lines in this chunk
  std::uint64_t file_bytes = 0;    // bytes of the file read when the chunk was cut
  bool is_last = false;            // the file ended with this chunk
  Status error;                    // the reader failed after this chunk's lines
};

// A bounded hand-off between the reader and the writer: the reader can run at most `capacity`
// chunks ahead, which bounds memory whatever the file size.
class ChunkQueue {
 public:
  explicit ChunkQueue(std::size_t capacity) : capacity_(capacity) {}
  // False when the consumer has given up (the chunk is dropped).
  bool push(Chunk chunk) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return cancelled_ || items_.size() < capacity_; });
    if (cancelled_) return false;
    items_.push_back(std::move(chunk));
    ready_.notify_one();
    return true;
  }
  // False when the producer closed the queue and everything was taken.
  bool pop(Chunk& out) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    space_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    items_.clear();
    space_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<Chunk> items_;
  std::size_t capacity_;
  bool closed_ = false, cancelled_ = false;
};

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool stop_requested(const IngestOptions& options) {
  return options.stop != nullptr && options.stop->load(std::memory_order_relaxed);
}

// The reader thread: reads and parses lines from where `reader` stands, cutting a chunk every
// batch_size good records. Parsing here lets it overlap with the writer's transaction.
void read_chunks(LineReader& reader, const FileJob& job, Checkpoint progress, const IngestOptions& options,
                 ChunkQueue& queue) {
  pthread_setname_np(pthread_self(), "pb-ingest-read");  // names the thread in top and perf
  SnapshotRecordParser parser;
  Chunk chunk;
  auto cut = [&](bool is_last, Status error) {
    progress.line = reader.line_number();
    progress.offset = reader.offset();
    progress.complete = is_last;
    chunk.is_last = is_last;
    chunk.error = std::move(error);
    chunk.file_bytes = reader.file_bytes_read();
    chunk.batch.state.emplace_back(job.key, encode_checkpoint(progress));
    bool accepted = queue.push(std::move(chunk));
    chunk = Chunk();
    chunk.batch.papers.reserve(static_cast<std::size_t>(options.batch_size));
    return accepted;
  };
  chunk.batch.papers.reserve(static_cast<std::size_t>(options.batch_size));
  std::string_view line;
  for (;;) {
    if (stop_requested(options)) break;  // the writer commits what it has and reports the stop
    auto more = reader.next(line);
    if (!more) {
      cut(false, more.error().with_context(job.path));
      break;
    }
    if (!*more) {
      cut(true, Status::ok());
      break;
    }
    if (is_blank(line)) continue;
    ++chunk.records;
    ++progress.records;
    auto paper = parser.parse(line, LineReader::kPadding);
    if (paper) {
      chunk.batch.papers.push_back(std::move(*paper));
    } else {
      chunk.rejects.push_back(job.path + ":" + std::to_string(reader.line_number()) + ": " + paper.error().message());
    }
    if (chunk.batch.papers.size() >= static_cast<std::size_t>(options.batch_size)) {
      if (!cut(false, Status::ok())) break;
    }
  }
  queue.close();
}

// Opens the file and moves past what an earlier run stored. Returns the reader and the checkpoint
// to continue from (zero when starting over).
Result<std::pair<std::unique_ptr<LineReader>, Checkpoint>> open_at_checkpoint(const FileJob& job,
                                                                             const std::optional<Checkpoint>& saved) {
  auto reader = LineReader::open(job.path);
  if (!reader) return fail(reader.error());
  Checkpoint start;
  start.size = job.size;
  start.mtime_ns = job.mtime_ns;
  if (!saved || saved->line == 0) return std::pair{std::move(*reader), start};
  // Decompression has to run through the skipped part, but parsing and storing do not.
  auto reached = (*reader)->skip_to_line(saved->line);
  if (!reached) return fail(reached.error().with_context(job.path));
  if (*reached && (*reader)->offset() == saved->offset) return std::pair{std::move(*reader), *saved};
  spdlog::warn("{}: content differs from the last run's checkpoint; reading it from the start", job.path);
  reader = LineReader::open(job.path);
  if (!reader) return fail(reader.error());
  return std::pair{std::move(*reader), start};
}

class Ingester {
 public:
  Ingester(store::Store& store, const IngestOptions& options) : store_(store), options_(options) {}

  // Ingests one file; false when the run should stop (interrupted).
  Status ingest_file(const FileJob& job, IngestSummary& summary);

 private:
  void report_reject(const std::string& message) {
    if (options_.on_reject) {
      options_.on_reject(message);
    } else if (logged_rejects_++ < kDefaultRejectsLogged) {
      spdlog::warn("{}", message);
      if (logged_rejects_ == kDefaultRejectsLogged) spdlog::warn("further rejected lines are counted but not shown");
    }
  }

  store::Store& store_;
  const IngestOptions& options_;
  int logged_rejects_ = 0;
};

Status Ingester::ingest_file(const FileJob& job, IngestSummary& summary) {
  std::optional<Checkpoint> saved;
  if (options_.resume) {
    auto text = store_.get_state(job.key);
    if (!text) return text.error();
    if (*text) saved = decode_checkpoint(**text);
    if (saved && (saved->size != job.size || saved->mtime_ns != job.mtime_ns)) {
      spdlog::info("{}: changed since the last run; reading it from the start", job.path);
      saved.reset();
    }
    // A file read to the end earlier is read again: its papers then count as unchanged (or
    // updated, if the store moved on). Checkpoints only resume files that were interrupted.
    if (saved && saved->complete) saved.reset();
  }
  auto opened = open_at_checkpoint(job, saved);
  if (!opened) return opened.error();
  auto& [reader, start] = *opened;
  if (start.records > 0) {
    spdlog::info("{}: continuing after line {} ({} records stored by an earlier run)", job.path, start.line, start.records);
    summary.skipped_by_resume += start.records;
  }

  IngestProgress progress(options_.progress_bar, std::filesystem::path(job.path).filename().string(), job.size);
  ChunkQueue queue(2);
  std::thread reader_thread(read_chunks, std::ref(*reader), std::cref(job), start, std::cref(options_), std::ref(queue));
  Status failure;
  std::int64_t file_records = 0;
  Chunk chunk;
  while (queue.pop(chunk)) {
    auto result = store_.apply(chunk.batch);
    if (!result) {
      failure = result.error().with_context(job.path);
      break;
    }
    ++summary.batches;
    summary.read += chunk.records;
    summary.inserted += result->inserted;
    summary.updated += result->updated;
    summary.unchanged += result->unchanged;
    summary.stale += result->stale;
    summary.rejected += static_cast<std::int64_t>(chunk.rejects.size());
    for (const auto& message : chunk.rejects) report_reject(message);
    file_records += chunk.records;
    progress.update(file_records, chunk.file_bytes);
    if (options_.on_batch_committed) options_.on_batch_committed(summary);
    if (!chunk.error.is_ok()) {
      failure = chunk.error;
      break;
    }
    if (chunk.is_last) break;
    if (stop_requested(options_)) break;
  }
  queue.cancel();
  reader_thread.join();
  progress.finish(file_records, reader->file_bytes_read());
  if (failure.is_ok() && !chunk.is_last) summary.interrupted = true;
  return failure;
}

}  // namespace

std::string checkpoint_key(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return "ingest.checkpoint:" + (ec ? path : absolute.string());
}

Result<IngestSummary> ingest_snapshot_files(store::Store& store, const std::vector<std::string>& files,
                                            const IngestOptions& options) {
  if (options.batch_size < 1) return fail(Status::invalid_argument("ingest batch size must be at least 1"));
  auto started = std::chrono::steady_clock::now();
  // Check every file up front, so a typo in the last name does not surface after an hour's work.
  std::vector<FileJob> jobs;
  for (const auto& path : files) {
    auto job = describe_file(path);
    if (!job) return fail(job.error());
    jobs.push_back(std::move(*job));
  }
  IngestSummary summary;
  Ingester ingester(store, options);
  for (const auto& job : jobs) {
    if (Status s = ingester.ingest_file(job, summary); !s.is_ok()) return fail(s);
    if (summary.interrupted) break;
    if (stop_requested(options)) {
      summary.interrupted = true;
      break;
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace paperboy::ingest
