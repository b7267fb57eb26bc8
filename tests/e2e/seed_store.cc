// web_seed_store DB FILE|-: loads arXiv-snapshot JSON lines into a SQLite store via Store::apply,
// for the browser test and the web benchmark. A stand-in written here because `paperboy ingest`
// belongs to the ingest issue; it reads only the fields the web pages show and stops at the first
// bad line, naming it.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/store.h"

using paperboy::core::Paper;

namespace {

std::string text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Paper to_paper(const nlohmann::json& j) {
  Paper p;
  p.id = text(j, "id");
  p.title = text(j, "title");
  p.abstract = text(j, "abstract");
  p.comments = text(j, "comments");
  p.doi = text(j, "doi");
  p.journal_ref = text(j, "journal-ref");
  p.update_date = text(j, "update_date");
  std::istringstream cats(text(j, "categories"));
  for (std::string c; cats >> c;) p.categories.push_back(c);
  for (const auto& a : j.value("authors_parsed", nlohmann::json::array())) {
    p.authors.push_back({a.size() > 0 ? a[0].get<std::string>() : "", a.size() > 1 ? a[1].get<std::string>() : "",
                         a.size() > 2 ? a[2].get<std::string>() : ""});
  }
  for (const auto& v : j.value("versions", nlohmann::json::array())) {
    auto t = paperboy::core::parse_rfc2822(text(v, "created"));
    p.versions.push_back({std::stoi(text(v, "version").substr(1)), t ? *t : 0});
  }
  paperboy::core::normalise_versions(p.versions);
  for (auto& s : {&p.title, &p.abstract}) {
    std::string collapsed;
    for (char c : *s) {
      if (c == '\n') c = ' ';
      if (!(c == ' ' && !collapsed.empty() && collapsed.back() == ' ')) collapsed += c;
    }
    *s = collapsed;
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: web_seed_store DB FILE|-\n";
    return 2;
  }
  auto store = paperboy::store::open_store({std::string("sqlite:") + argv[1], 64});
  if (!store) {
    std::cerr << store.error().to_string() << "\n";
    return 1;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (std::string(argv[2]) != "-") {
    file.open(argv[2]);
    in = &file;
  }
  paperboy::store::WriteBatch batch;
  long line_no = 0, total = 0;
  auto flush = [&]() -> bool {
    auto r = (*store)->apply(batch);
    if (!r) {
      std::cerr << "near line " << line_no << ": " << r.error().to_string() << "\n";
      return false;
    }
    total += static_cast<long>(batch.papers.size());
    batch.papers.clear();
    return true;
  };
  for (std::string line; std::getline(*in, line);) {
    ++line_no;
    if (line.empty()) continue;
    try {
      batch.papers.push_back(to_paper(nlohmann::json::parse(line)));
    } catch (const std::exception& e) {
      std::cerr << argv[2] << ":" << line_no << ": " << e.what() << "\n";
      return 1;
    }
    if (batch.papers.size() >= 5000 && !flush()) return 1;
  }
  if (!batch.papers.empty() && !flush()) return 1;
  std::cout << "stored " << total << " papers\n";
  return 0;
}
