#include "web/markdown.h"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

namespace paperboy::web {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Replaces every image with a link to the same (checked) target holding the image's alt text.
void images_to_links(cmark_node* root) {
  std::vector<cmark_node*> images;
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE) images.push_back(n);
  }
  cmark_iter_free(it);
  for (cmark_node* image : images) {
    cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
    const char* url = cmark_node_get_url(image);
    cmark_node_set_url(link, url != nullptr ? url : "");
    while (cmark_node* child = cmark_node_first_child(image)) {
      cmark_node_unlink(child);
      cmark_node_append_child(link, child);
    }
    cmark_node_replace(image, link);
    cmark_node_free(image);
  }
}

void restrict_links(cmark_node* root) {
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK) continue;
    const char* url = cmark_node_get_url(n);
    if (url == nullptr || !is_safe_link(url)) cmark_node_set_url(n, "");
  }
  cmark_iter_free(it);
}

}  // namespace

bool is_safe_link(std::string_view url) {
  if (url.empty()) return false;
  // Same-site paths and fragments; "//host" is another site, "/\host" some browsers read as one.
  if (url.front() == '#') return true;
  if (url.front() == '/') return url.size() == 1 || (url[1] != '/' && url[1] != '\\');
  std::string lower = lower_ascii(url.substr(0, 8));
  return lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:");
}

std::string render_markdown(std::string_view markdown) {
  // CMARK_OPT_SAFE is spelled out for cmark versions before 0.29, where it was not the default.
  const int options = CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
  std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(
      cmark_parse_document(markdown.data(), markdown.size(), options), &cmark_node_free);
  if (!doc) return "";
  images_to_links(doc.get());
  restrict_links(doc.get());
  std::unique_ptr<char, void (*)(void*)> html(cmark_render_html(doc.get(), options), &free);
  if (!html) return "";
  // The renderer writes every link as `<a href="`; raw HTML never reaches the output, so this
  // marks exactly the links it made.
  std::string out;
  std::string_view rest(html.get());
  constexpr std::string_view kOpen = "<a href=\"";
  for (size_t pos; (pos = rest.find(kOpen)) != std::string_view::npos;) {
    out.append(rest.substr(0, pos));
    out.append("<a rel=\"nofollow ugc noopener\" href=\"");
    rest.remove_prefix(pos + kOpen.size());
  }
  out.append(rest);
  return out;
}

}  // namespace paperboy::web
