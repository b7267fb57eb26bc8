// SnapshotRecordParser: turns one line of an arXiv metadata snapshot (one JSON object in the
// layout of arxiv-metadata-oai-snapshot.json) into a validated core::Paper. Error messages name
// the field ("field 'title' missing"); the caller adds file and line. Used by snapshot ingest.
// Holds a reusable simdjson parser: one instance per thread.
#pragma once

#include <memory>
#include <string_view>

#include "core/paper.h"
#include "core/status.h"

namespace paperboy::ingest {

class SnapshotRecordParser {
 public:
  SnapshotRecordParser();
  ~SnapshotRecordParser();
  SnapshotRecordParser(const SnapshotRecordParser&) = delete;
  SnapshotRecordParser& operator=(const SnapshotRecordParser&) = delete;

  // `padding` says how many readable bytes follow `line` in memory (LineReader guarantees 64);
  // with fewer than simdjson needs, the line is copied into a padded buffer first.
  [[nodiscard]] Result<core::Paper> parse(std::string_view line, std::size_t padding = 0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits a snapshot `authors` string ("A. Smith, B. Jones and C. Wu") into authors, used when a
// record has no `authors_parsed`. The last word of each name is taken as the keyname.
[[nodiscard]] std::vector<core::Author> split_author_string(std::string_view authors);

}  // namespace paperboy::ingest
