#include "web/html.h"

namespace paperboy::web {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_newest_page(const std::vector<store::StoredPaper>& papers) {
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Paperboy</title></head>"
      "<body><h1>Newest papers</h1><ol>";
  for (const auto& sp : papers) {
    const auto& p = sp.paper;
    std::string authors;
    for (size_t i = 0; i < p.authors.size() && i < 4; ++i) authors += (i ? ", " : "") + p.authors[i].display_name();
    if (p.authors.size() > 4) authors += " et al.";
    html += "<li><a href=\"https://arxiv.org/abs/" + escape_html(p.id) + "\">" + escape_html(p.title) + "</a> <small>" +
            escape_html(p.id) + " · " + escape_html(p.primary_category()) + " · " + escape_html(p.listing_day()) +
            "</small><br><span>" + escape_html(authors) + "</span></li>";
  }
  html += "</ol></body></html>";
  return html;
}

}  // namespace paperboy::web
