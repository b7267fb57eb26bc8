// One OAI-PMH ListRecords response page, parsed as a stream (expat SAX, namespace-aware) and mapped
// to core::Paper: metadata formats arXiv, arXivRaw and oai_dc. The page is fed chunk by chunk as
// it arrives from the network, so a 2,500-record page is never held as a tree. A malformed record
// is reported and skipped; malformed XML fails the whole page (the harvester retries it and never
// stores half a page). Used by OaiPmhHarvester and the OAI-PMH benchmark. Not thread-safe: one
// parser per page.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.h"
#include "core/status.h"

namespace paperboy::ingest {

enum class OaiMetadataFormat { kArxiv, kArxivRaw, kOaiDc };

// "arXiv", "arXivRaw", "oai_dc" (the metadataPrefix values).
[[nodiscard]] Result<OaiMetadataFormat> parse_metadata_prefix(std::string_view prefix);
[[nodiscard]] std::string_view metadata_prefix_name(OaiMetadataFormat format);

struct OaiRecordError {
  std::string identifier;  // the record's OAI identifier, when it had one
  std::string message;
};

struct ListRecordsPage {
  std::vector<core::Paper> papers;
  std::vector<OaiRecordError> rejected;
  int records = 0;  // <record> elements, including deleted and rejected ones
  int deleted = 0;  // header status="deleted": nothing to store
  bool has_resumption_token = false;  // the element was present (an empty one ends the list)
  std::string resumption_token;
  std::string error_code;  // OAI-PMH §3.6 <error code="..."> ("" when none)
  std::string error_message;
  std::string response_date;
  std::string max_datestamp;  // the newest header datestamp on the page

  [[nodiscard]] bool is_last() const { return resumption_token.empty(); }
};

class ListRecordsParser {
 public:
  ListRecordsParser();
  ~ListRecordsParser();
  ListRecordsParser(const ListRecordsParser&) = delete;
  ListRecordsParser& operator=(const ListRecordsParser&) = delete;

  // Parses the next chunk. Malformed XML is kInvalidArgument naming the line and column.
  [[nodiscard]] Status feed(std::string_view chunk);
  // Ends the document: a page cut short (truncated XML) fails here.
  [[nodiscard]] Result<ListRecordsPage> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits arXiv's free-text author list ("A. Smith, B. Jones Jr and C. Wu (MIT)") into authors;
// parenthesised affiliations are dropped; the last word is the keyname.
[[nodiscard]] std::vector<core::Author> parse_author_list(std::string_view text);

// arXiv's OAI set spec to a category: "cs:cs:CV" -> "cs.CV", "physics:astro-ph" -> "astro-ph",
// "math" -> "math".
[[nodiscard]] std::string category_from_set_spec(std::string_view spec);

}  // namespace paperboy::ingest
