#include "ingest/oai_pmh_page.h"

#include <expat.h>

#include <algorithm>
#include <map>

#include "core/arxiv_id.h"
#include "core/text.h"
#include "core/time.h"

namespace paperboy::ingest {
namespace {

// expat joins namespace URI and local name with this separator (URIs cannot contain a space).
constexpr char kNsSeparator = ' ';

enum class Ns { kNone, kOai, kArxiv, kArxivRaw, kOaiDc, kDc, kOther };

Ns namespace_of(std::string_view uri) {
  if (uri == "http://www.openarchives.org/OAI/2.0/") return Ns::kOai;
  if (uri == "http://arxiv.org/OAI/arXiv/") return Ns::kArxiv;
  if (uri == "http://arxiv.org/OAI/arXivRaw/") return Ns::kArxivRaw;
  if (uri == "http://www.openarchives.org/OAI/2.0/oai_dc/") return Ns::kOaiDc;
  if (uri == "http://purl.org/dc/elements/1.1/") return Ns::kDc;
  return uri.empty() ? Ns::kNone : Ns::kOther;
}

struct Name {
  Ns ns = Ns::kNone;
  std::string local;
};

Name split_name(const XML_Char* raw) {
  std::string_view full(raw);
  auto sep = full.rfind(kNsSeparator);
  if (sep == std::string_view::npos) return {Ns::kNone, std::string(full)};
  return {namespace_of(full.substr(0, sep)), std::string(full.substr(sep + 1))};
}

const XML_Char* attribute(const XML_Char** attrs, std::string_view wanted) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    // Unqualified attributes (OAI-PMH's status, code, version) come without a namespace.
    if (std::string_view(attrs[i]) == wanted) return attrs[i + 1];
  }
  return nullptr;
}

// Everything one <record> said, before it becomes a Paper.
struct RawRecord {
  std::string identifier;
  std::string datestamp;
  std::vector<std::string> set_specs;
  bool is_deleted = false;
  Ns format = Ns::kNone;  // the namespace of the element inside <metadata>
  std::map<std::string, std::string, std::less<>> fields;      // arXiv, arXivRaw: element -> text
  std::map<std::string, std::vector<std::string>, std::less<>> dc;  // oai_dc: element -> values
  std::vector<core::Author> authors;                            // arXiv format
  core::Author author;                                          // the <author> being read
  std::vector<std::pair<std::string, std::string>> versions;    // arXivRaw: ("v2", date)
  std::string version_label;
};

std::string field(const RawRecord& r, std::string_view name) {
  auto it = r.fields.find(name);
  return it == r.fields.end() ? std::string() : core::collapse_whitespace(it->second);
}

std::vector<std::string> split_categories(std::string_view text) {
  std::vector<std::string> out;
  std::string clean = core::collapse_whitespace(text);
  size_t pos = 0;
  while (pos < clean.size()) {
    size_t end = clean.find(' ', pos);
    if (end == std::string::npos) end = clean.size();
    std::string cat = clean.substr(pos, end - pos);
    // arXiv lists the primary category first; keep that order, drop repeats.
    if (!cat.empty() && std::find(out.begin(), out.end(), cat) == out.end()) out.push_back(cat);
    pos = end + 1;
  }
  return out;
}

Result<std::string> record_id(const RawRecord& r, std::string_view from_metadata) {
  std::string source = from_metadata.empty() ? r.identifier : std::string(from_metadata);
  if (source.empty()) return fail(Status::invalid_argument("no arXiv id in the record"));
  auto id = core::parse_arxiv_id(source);
  if (!id) return fail(id.error().with_context("id"));
  return id->id;
}

// Fields common to the arXiv and arXivRaw formats.
Result<core::Paper> map_common(const RawRecord& r) {
  core::Paper p;
  auto id = record_id(r, field(r, "id"));
  if (!id) return fail(id.error());
  p.id = *id;
  p.title = field(r, "title");
  p.abstract = field(r, "abstract");
  p.categories = split_categories(field(r, "categories"));
  p.comments = field(r, "comments");
  p.journal_ref = field(r, "journal-ref");
  p.doi = field(r, "doi");
  p.report_no = field(r, "report-no");
  p.license = field(r, "license");
  p.submitter = field(r, "submitter");
  // The OAI datestamp is when arXiv last changed the record: the snapshot's update_date.
  p.update_date = r.datestamp.substr(0, 10);
  return p;
}

Result<core::Paper> map_arxiv(const RawRecord& r) {
  auto p = map_common(r);
  if (!p) return p;
  p->authors = r.authors;
  // The arXiv format carries the v1 date (created) and the latest version's date (updated) but not
  // the latest version's number; v1 is all we know for certain. arXivRaw has the full history.
  std::string created = field(r, "created");
  if (!created.empty()) {
    auto t = core::parse_iso8601(created);
    if (!t) return fail(Status::invalid_argument("field 'created': bad date '" + created + "'"));
    p->versions.push_back({1, *t});
  }
  if (p->update_date.empty()) p->update_date = field(r, "updated").empty() ? created : field(r, "updated");
  return p;
}

Result<core::Paper> map_arxiv_raw(const RawRecord& r) {
  auto p = map_common(r);
  if (!p) return p;
  p->authors = parse_author_list(field(r, "authors"));
  for (const auto& [label, date] : r.versions) {
    int number = 0;
    if (label.size() > 1 && label[0] == 'v') number = std::atoi(label.c_str() + 1);
    if (number < 1) return fail(Status::invalid_argument("field 'version': bad label '" + label + "'"));
    auto t = core::parse_rfc2822(core::collapse_whitespace(date));
    if (!t) return fail(Status::invalid_argument("field 'version' " + label + ": bad date '" + date + "'"));
    p->versions.push_back({number, *t});
  }
  core::normalise_versions(p->versions);
  return p;
}

Result<core::Paper> map_oai_dc(const RawRecord& r) {
  auto values = [&](std::string_view name) -> std::vector<std::string> {
    auto it = r.dc.find(name);
    return it == r.dc.end() ? std::vector<std::string>{} : it->second;
  };
  core::Paper p;
  std::string id_source;
  for (const auto& ident : values("identifier")) {
    if (core::parse_arxiv_id(ident)) id_source = ident;
  }
  auto id = record_id(r, id_source);
  if (!id) return fail(id.error());
  p.id = *id;
  auto titles = values("title");
  p.title = titles.empty() ? "" : core::collapse_whitespace(titles.front());
  auto descriptions = values("description");
  p.abstract = descriptions.empty() ? "" : core::collapse_whitespace(descriptions.front());
  for (const auto& creator : values("creator")) {
    // Dublin Core creators are "Keyname, Forenames" in arXiv's oai_dc.
    std::string name = core::collapse_whitespace(creator);
    auto comma = name.find(',');
    if (comma == std::string::npos) {
      auto parsed = parse_author_list(name);
      p.authors.insert(p.authors.end(), parsed.begin(), parsed.end());
    } else {
      p.authors.push_back({core::collapse_whitespace(name.substr(0, comma)),
                           core::collapse_whitespace(name.substr(comma + 1)), ""});
    }
  }
  // Subjects are prose ("Computer Science - Learning"); the set specs carry the category codes.
  for (const auto& spec : r.set_specs) {
    std::string cat = category_from_set_spec(spec);
    if (!cat.empty() && std::find(p.categories.begin(), p.categories.end(), cat) == p.categories.end()) {
      p.categories.push_back(cat);
    }
  }
  // arXiv's oai_dc gives one date per version, oldest first.
  std::vector<std::int64_t> dates;
  for (const auto& d : values("date")) {
    if (auto t = core::parse_iso8601(core::collapse_whitespace(d))) dates.push_back(*t);
  }
  std::sort(dates.begin(), dates.end());
  for (size_t i = 0; i < dates.size(); ++i) p.versions.push_back({static_cast<int>(i + 1), dates[i]});
  p.update_date = r.datestamp.substr(0, 10);
  return p;
}

}  // namespace

Result<OaiMetadataFormat> parse_metadata_prefix(std::string_view prefix) {
  if (prefix == "arXiv") return OaiMetadataFormat::kArxiv;
  if (prefix == "arXivRaw") return OaiMetadataFormat::kArxivRaw;
  if (prefix == "oai_dc") return OaiMetadataFormat::kOaiDc;
  return fail(Status::invalid_argument("unknown metadataPrefix '" + std::string(prefix) +
                                       "' (expected arXiv, arXivRaw or oai_dc)"));
}

std::string_view metadata_prefix_name(OaiMetadataFormat format) {
  switch (format) {
    case OaiMetadataFormat::kArxiv: return "arXiv";
    case OaiMetadataFormat::kArxivRaw: return "arXivRaw";
    case OaiMetadataFormat::kOaiDc: return "oai_dc";
  }
  return "arXiv";
}

std::vector<core::Author> parse_author_list(std::string_view text) {
  // Drop parenthesised affiliations, nested or not.
  std::string flat;
  int depth = 0;
  for (char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = std::max(0, depth - 1);
    } else if (depth == 0) {
      flat += c;
    }
  }
  flat = core::collapse_whitespace(flat);
  // Separators: commas and the word "and".
  std::vector<std::string> names;
  std::string current;
  auto flush = [&] {
    std::string n = core::collapse_whitespace(current);
    if (!n.empty()) names.push_back(n);
    current.clear();
  };
  size_t i = 0;
  while (i < flat.size()) {
    if (flat[i] == ',') {
      flush();
      ++i;
    } else if (flat.compare(i, 5, " and ") == 0) {
      flush();
      i += 5;
    } else if (i == 0 && flat.compare(0, 4, "and ") == 0) {
      i += 4;
    } else {
      current += flat[i++];
    }
  }
  flush();
  static const std::vector<std::string> kSuffixes = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"};
  std::vector<core::Author> authors;
  for (const auto& n : names) {
    if (std::find(kSuffixes.begin(), kSuffixes.end(), n) != kSuffixes.end() && !authors.empty()) {
      authors.back().suffix = n;  // "Smith, Jr": the comma split the suffix off
      continue;
    }
    core::Author a;
    std::string rest = n;
    auto last_space = rest.rfind(' ');
    if (last_space != std::string::npos) {
      std::string last = rest.substr(last_space + 1);
      if (std::find(kSuffixes.begin(), kSuffixes.end(), last) != kSuffixes.end()) {
        a.suffix = last;
        rest = rest.substr(0, last_space);
        last_space = rest.rfind(' ');
      }
    }
    if (last_space == std::string::npos) {
      a.keyname = rest;
    } else {
      a.keyname = rest.substr(last_space + 1);
      a.forenames = rest.substr(0, last_space);
    }
    authors.push_back(std::move(a));
  }
  return authors;
}

std::string category_from_set_spec(std::string_view spec) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (true) {
    size_t end = spec.find(':', pos);
    parts.emplace_back(spec.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (parts.size() >= 3 && !parts[2].empty()) return parts[1] + "." + parts[2];
  if (parts.size() == 2) return parts[1];
  return parts.front();
}

struct ListRecordsParser::Impl {
  XML_Parser parser = nullptr;
  std::vector<Name> stack;
  std::string text;
  bool in_record = false;
  bool in_header = false;
  RawRecord record;
  ListRecordsPage page;

  Impl() {
    parser = XML_ParserCreateNS("UTF-8", kNsSeparator);
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &Impl::on_start, &Impl::on_end);
    XML_SetCharacterDataHandler(parser, &Impl::on_text);
  }
  ~Impl() { XML_ParserFree(parser); }

  static void on_text(void* user, const XML_Char* s, int len) {
    static_cast<Impl*>(user)->text.append(s, static_cast<size_t>(len));
  }

  static void on_start(void* user, const XML_Char* raw, const XML_Char** attrs) {
    auto* self = static_cast<Impl*>(user);
    Name name = split_name(raw);
    self->text.clear();
    const Name* parent = self->stack.empty() ? nullptr : &self->stack.back();
    if (name.ns == Ns::kOai) {
      if (name.local == "record") {
        self->in_record = true;
        self->record = RawRecord{};
        ++self->page.records;
      } else if (name.local == "header" && self->in_record) {
        self->in_header = true;
        const XML_Char* status = attribute(attrs, "status");
        self->record.is_deleted = status != nullptr && std::string_view(status) == "deleted";
      } else if (name.local == "error") {
        const XML_Char* code = attribute(attrs, "code");
        self->page.error_code = code != nullptr ? code : "unknown";
      } else if (name.local == "resumptionToken") {
        self->page.has_resumption_token = true;
      }
    }
    if (self->in_record && parent != nullptr && parent->ns == Ns::kOai && parent->local == "metadata") {
      self->record.format = name.ns;
    }
    if (name.ns == Ns::kArxiv && name.local == "author") self->record.author = core::Author{};
    if (name.ns == Ns::kArxivRaw && name.local == "version") {
      const XML_Char* label = attribute(attrs, "version");
      self->record.version_label = label != nullptr ? label : "";
    }
    self->stack.push_back(std::move(name));
  }

  static void on_end(void* user, const XML_Char* /*raw*/) {
    auto* self = static_cast<Impl*>(user);
    Name name = std::move(self->stack.back());
    self->stack.pop_back();
    const Name* parent = self->stack.empty() ? nullptr : &self->stack.back();
    std::string text = std::move(self->text);
    self->text.clear();
    self->end_element(name, parent, std::move(text));
  }

  void end_element(const Name& name, const Name* parent, std::string text) {
    RawRecord& r = record;
    switch (name.ns) {
      case Ns::kOai:
        if (name.local == "record") {
          finish_record();
          in_record = false;
        } else if (name.local == "header") {
          in_header = false;
        } else if (in_header && name.local == "identifier") {
          r.identifier = core::collapse_whitespace(text);
        } else if (in_header && name.local == "datestamp") {
          r.datestamp = core::collapse_whitespace(text);
        } else if (in_header && name.local == "setSpec") {
          r.set_specs.push_back(core::collapse_whitespace(text));
        } else if (name.local == "error") {
          page.error_message = core::collapse_whitespace(text);
        } else if (name.local == "resumptionToken") {
          page.resumption_token = core::collapse_whitespace(text);
        } else if (name.local == "responseDate") {
          page.response_date = core::collapse_whitespace(text);
        }
        break;
      case Ns::kArxiv:
        if (name.local == "keyname") {
          r.author.keyname = core::collapse_whitespace(text);
        } else if (name.local == "forenames") {
          r.author.forenames = core::collapse_whitespace(text);
        } else if (name.local == "suffix") {
          r.author.suffix = core::collapse_whitespace(text);
        } else if (name.local == "author") {
          r.authors.push_back(std::move(r.author));
        } else if (parent != nullptr && parent->ns == Ns::kArxiv && parent->local == "arXiv") {
          r.fields.emplace(name.local, std::move(text));
        }
        break;
      case Ns::kArxivRaw:
        if (name.local == "date" && parent != nullptr && parent->local == "version") {
          r.versions.emplace_back(r.version_label, std::move(text));
        } else if (parent != nullptr && parent->ns == Ns::kArxivRaw && parent->local == "arXivRaw") {
          r.fields.emplace(name.local, std::move(text));
        }
        break;
      case Ns::kDc:
        if (in_record) r.dc[name.local].push_back(std::move(text));
        break;
      default:
        break;
    }
  }

  void finish_record() {
    RawRecord& r = record;
    if (r.datestamp > page.max_datestamp) page.max_datestamp = r.datestamp;
    if (r.is_deleted) {
      ++page.deleted;
      return;
    }
    Result<core::Paper> paper = fail(Status::invalid_argument("no metadata"));
    switch (r.format) {
      case Ns::kArxiv: paper = map_arxiv(r); break;
      case Ns::kArxivRaw: paper = map_arxiv_raw(r); break;
      case Ns::kOaiDc: paper = map_oai_dc(r); break;
      case Ns::kNone: break;
      default: paper = fail(Status::invalid_argument("unsupported metadata format")); break;
    }
    if (paper) {
      if (Status s = core::validate_paper(*paper); !s.is_ok()) paper = fail(s);
    }
    if (!paper) {
      page.rejected.push_back({r.identifier, paper.error().message()});
      return;
    }
    page.papers.push_back(std::move(*paper));
  }

  Status error_status() const {
    return Status::invalid_argument("XML line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ", column " +
                                    std::to_string(XML_GetCurrentColumnNumber(parser)) + ": " +
                                    XML_ErrorString(XML_GetErrorCode(parser)));
  }
};

ListRecordsParser::ListRecordsParser() : impl_(std::make_unique<Impl>()) {}
ListRecordsParser::~ListRecordsParser() = default;

Status ListRecordsParser::feed(std::string_view chunk) {
  // expat takes int lengths: feed very large chunks in slices.
  constexpr size_t kSlice = 1 << 30;
  while (!chunk.empty()) {
    size_t n = std::min(chunk.size(), kSlice);
    if (XML_Parse(impl_->parser, chunk.data(), static_cast<int>(n), XML_FALSE) != XML_STATUS_OK) {
      return impl_->error_status();
    }
    chunk.remove_prefix(n);
  }
  return Status::ok();
}

Result<ListRecordsPage> ListRecordsParser::finish() {
  if (XML_Parse(impl_->parser, "", 0, XML_TRUE) != XML_STATUS_OK) return fail(impl_->error_status());
  return std::move(impl_->page);
}

}  // namespace paperboy::ingest
