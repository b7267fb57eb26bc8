#include "ingest/snapshot_record.h"

#include <simdjson.h>

#include <string>


#include "core/arxiv_id.h"
#include "core/text.h"
#include "core/time.h"

namespace paperboy::ingest {
namespace {

// The DOM API rather than On Demand: On Demand is compiled into our code and, without -march
// flags, gets simdjson's scalar fallback kernel; the DOM parser lives in libsimdjson and picks the
// best kernel (AVX2, AVX-512) at run time. It also validates the whole line, not only what we read.
namespace dom = simdjson::dom;

std::string_view type_name(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

Status json_error(simdjson::error_code e) {
  // simdjson checks UTF-8 over the whole line before anything else.
  if (e == simdjson::UTF8_ERROR) return Status::invalid_argument("invalid UTF-8");
  return Status::invalid_argument(std::string("malformed JSON: ") + simdjson::error_message(e));
}

Status field_error(std::string_view field, std::string_view message) {
  return Status::invalid_argument("field '" + std::string(field) + "': " + std::string(message));
}

Status wrong_type(std::string_view field, std::string_view expected, dom::element v) {
  return field_error(field, "expected " + std::string(expected) + ", got " + std::string(type_name(v.type())));
}

enum class Whitespace { kKeep, kCollapse };

// A string or null (null and absent both mean "empty"). Collapsing straight from simdjson's buffer
// saves a copy of every title and abstract.
Status read_string(std::string_view field, dom::element v, std::string& out, bool* was_null = nullptr,
                   Whitespace whitespace = Whitespace::kKeep) {
  bool is_null = v.is_null();
  if (was_null != nullptr) *was_null = is_null;
  if (is_null) {
    out.clear();
    return Status::ok();
  }
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return wrong_type(field, "a string", v);
  if (whitespace == Whitespace::kCollapse) {
    out = core::collapse_whitespace(s);
  } else {
    out.assign(s);
  }
  return Status::ok();
}

Status read_authors_parsed(dom::element v, std::vector<core::Author>& out, bool& present) {
  present = !v.is_null();
  if (!present) return Status::ok();
  dom::array list;
  if (v.get_array().get(list) != simdjson::SUCCESS) return wrong_type("authors_parsed", "an array", v);
  out.clear();
  for (dom::element entry : list) {
    dom::array parts;
    if (entry.get_array().get(parts) != simdjson::SUCCESS) {
      return wrong_type("authors_parsed", "[keyname, forenames, suffix] arrays", entry);
    }
    core::Author author;
    std::string* slots[] = {&author.keyname, &author.forenames, &author.suffix};
    std::size_t i = 0;
    std::string ignored;  // arXiv sometimes appends an affiliation as a fourth element
    for (dom::element part : parts) {
      PB_RETURN_IF_ERROR(read_string("authors_parsed", part, i < 3 ? *slots[i] : ignored));
      ++i;
    }
    for (auto* slot : slots) *slot = core::collapse_whitespace(*slot);
    if (!author.keyname.empty() || !author.forenames.empty()) out.push_back(std::move(author));
  }
  return Status::ok();
}

Result<core::Version> read_version(dom::element v) {
  dom::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(wrong_type("versions", "objects {version, created}", v));
  std::string label, created;
  for (dom::key_value_pair field : obj) {
    Status s;
    if (field.key == "version") {
      s = read_string("versions", field.value, label);
    } else if (field.key == "created") {
      s = read_string("versions", field.value, created);
    }
    if (!s.is_ok()) return fail(s);
  }
  core::Version out;
  // "v1", "v12": arXiv's version labels.
  if (label.size() < 2 || label[0] != 'v' || label.size() > 6 ||
      label.find_first_not_of("0123456789", 1) != std::string::npos) {
    return fail(field_error("versions", "bad version label '" + label + "'"));
  }
  out.number = std::stoi(label.substr(1));
  auto when = core::parse_rfc2822(created);
  if (!when) return fail(field_error("versions", "bad date '" + created + "' for " + label));
  out.created = *when;
  return out;
}

Status read_versions(dom::element v, std::vector<core::Version>& out) {
  if (v.is_null()) return Status::ok();
  dom::array list;
  if (v.get_array().get(list) != simdjson::SUCCESS) return wrong_type("versions", "an array", v);
  out.clear();
  for (dom::element entry : list) {
    auto version = read_version(entry);
    if (!version) return version.error();
    out.push_back(*version);
  }
  core::normalise_versions(out);
  return Status::ok();
}

std::vector<std::string> split_categories(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) {
      std::string c(text.substr(start, i - start));
      bool seen = false;
      for (const auto& have : out) seen = seen || have == c;
      if (!seen) out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

std::vector<core::Author> split_author_string(std::string_view authors) {
  std::string text = core::collapse_whitespace(authors);
  // " and " separates the last author in arXiv's free-text author lists.
  for (std::size_t pos; (pos = text.find(" and ")) != std::string::npos;) text.replace(pos, 5, ", ");
  std::vector<core::Author> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string name = core::collapse_whitespace(std::string_view(text).substr(start, comma - start));
    if (!name.empty()) {
      core::Author a;
      std::size_t space = name.rfind(' ');
      if (space == std::string::npos) {
        a.keyname = name;
      } else {
        a.keyname = name.substr(space + 1);
        a.forenames = name.substr(0, space);
      }
      out.push_back(std::move(a));
    }
    start = comma + 1;
  }
  return out;
}

struct SnapshotRecordParser::Impl {
  dom::parser parser;
  std::string padded;  // copy of a line that came without enough padding

  Result<core::Paper> parse(const char* data, std::size_t len);
  Status read_field(std::string_view key, dom::element v, core::Paper& p);

  // Per-record scratch, reused to avoid allocations.
  std::string raw_id, categories, authors_text;
  bool has_id = false, has_title = false, has_authors_parsed = false;
};

Status SnapshotRecordParser::Impl::read_field(std::string_view key, dom::element v, core::Paper& p) {
  // Snapshot keys, in the order arXiv writes them; anything else is ignored.
  if (key == "id") {
    bool was_null = false;
    PB_RETURN_IF_ERROR(read_string("id", v, raw_id, &was_null));
    has_id = !was_null;
  } else if (key == "title") {
    bool was_null = false;
    PB_RETURN_IF_ERROR(read_string("title", v, p.title, &was_null, Whitespace::kCollapse));
    has_title = !was_null;
  } else if (key == "authors") {
    PB_RETURN_IF_ERROR(read_string("authors", v, authors_text));
  } else if (key == "authors_parsed") {
    PB_RETURN_IF_ERROR(read_authors_parsed(v, p.authors, has_authors_parsed));
  } else if (key == "abstract") {
    PB_RETURN_IF_ERROR(read_string("abstract", v, p.abstract, nullptr, Whitespace::kCollapse));
  } else if (key == "categories") {
    PB_RETURN_IF_ERROR(read_string("categories", v, categories));
  } else if (key == "comments") {
    PB_RETURN_IF_ERROR(read_string("comments", v, p.comments));
  } else if (key == "journal-ref") {
    PB_RETURN_IF_ERROR(read_string("journal-ref", v, p.journal_ref));
  } else if (key == "doi") {
    PB_RETURN_IF_ERROR(read_string("doi", v, p.doi));
  } else if (key == "report-no") {
    PB_RETURN_IF_ERROR(read_string("report-no", v, p.report_no));
  } else if (key == "license") {
    PB_RETURN_IF_ERROR(read_string("license", v, p.license));
  } else if (key == "submitter") {
    PB_RETURN_IF_ERROR(read_string("submitter", v, p.submitter));
  } else if (key == "versions") {
    PB_RETURN_IF_ERROR(read_versions(v, p.versions));
  } else if (key == "update_date") {
    PB_RETURN_IF_ERROR(read_string("update_date", v, p.update_date));
  }
  return Status::ok();
}

Result<core::Paper> SnapshotRecordParser::Impl::parse(const char* data, std::size_t len) {
  raw_id.clear();
  categories.clear();
  authors_text.clear();
  has_id = has_title = has_authors_parsed = false;

  dom::element doc;
  // realloc_if_needed = false: the caller guarantees SIMDJSON_PADDING readable bytes after `len`.
  if (auto e = parser.parse(data, len, false).get(doc)) return fail(json_error(e));
  dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return fail(Status::invalid_argument("malformed JSON: expected an object, got " + std::string(type_name(doc.type()))));
  }
  core::Paper p;
  for (dom::key_value_pair field : obj) {
    if (Status s = read_field(field.key, field.value, p); !s.is_ok()) return fail(s);
  }

  if (!has_id) return fail(Status::invalid_argument("field 'id' missing"));
  auto id = core::parse_arxiv_id(raw_id);
  if (!id) return fail(field_error("id", id.error().message()));
  p.id = std::move(id->id);
  if (!has_title) return fail(Status::invalid_argument("field 'title' missing"));
  p.categories = split_categories(categories);
  if (!has_authors_parsed) p.authors = split_author_string(authors_text);
  if (!p.update_date.empty() && !core::parse_iso8601(p.update_date)) {
    return fail(field_error("update_date", "'" + p.update_date + "' is not a YYYY-MM-DD date"));
  }
  if (Status s = core::validate_paper(p); !s.is_ok()) return fail(s);
  return p;
}

SnapshotRecordParser::SnapshotRecordParser() : impl_(std::make_unique<Impl>()) {}
SnapshotRecordParser::~SnapshotRecordParser() = default;

Result<core::Paper> SnapshotRecordParser::parse(std::string_view line, std::size_t padding) {
  if (padding >= simdjson::SIMDJSON_PADDING) return impl_->parse(line.data(), line.size());
  impl_->padded.assign(line);
  impl_->padded.append(simdjson::SIMDJSON_PADDING, ' ');
  return impl_->parse(impl_->padded.data(), line.size());
}

}  // namespace paperboy::ingest
