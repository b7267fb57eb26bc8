#include "thumbs/page_render.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <spdlog/spdlog.h>
#include <webp/encode.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

namespace paperboy::thumbs {
namespace {

// Poppler reports syntax errors in damaged PDFs on stderr; they belong in the debug log.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string& message, void*) { spdlog::debug("poppler: {}", message); },
                                      nullptr);
  });
}

// PDF 2.0 (ISO 32000-2) §7.5.2: the header is "%PDF-1.n" or "%PDF-2.n"; readers accept it anywhere in
// the first 1024 bytes (some producers put junk first).
bool looks_like_pdf(std::string_view bytes) {
  return bytes.substr(0, std::min<size_t>(bytes.size(), 1024)).find("%PDF-") != std::string_view::npos;
}

std::string first_bytes(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 16)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  return out;
}

}  // namespace

Result<RenderedPage> render_first_page(std::string_view pdf, const RenderOptions& options) {
  if (static_cast<std::int64_t>(pdf.size()) > options.max_pdf_bytes) {
    return fail(Status::invalid_argument("PDF of " + std::to_string(pdf.size()) + " bytes is over the limit of " +
                                         std::to_string(options.max_pdf_bytes)));
  }
  if (!looks_like_pdf(pdf)) {
    return fail(Status::invalid_argument("not a PDF (it starts with '" + first_bytes(pdf) + "')"));
  }
  quiet_poppler();
  // load_from_raw_data reads `pdf` in place; it outlives the document.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) return fail(Status::invalid_argument("corrupt PDF: poppler cannot open it"));
  if (doc->is_locked()) return fail(Status::invalid_argument("encrypted PDF: cannot render it"));
  if (doc->pages() < 1) return fail(Status::invalid_argument("PDF without pages"));
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  if (!page) return fail(Status::invalid_argument("corrupt PDF: its first page cannot be read"));
  poppler::rectf box = page->page_rect(poppler::crop_box);
  double w_pt = std::abs(box.width()), h_pt = std::abs(box.height());
  // The rendered image has the page's own rotation applied.
  auto turn = page->orientation();
  if (turn == poppler::page::landscape || turn == poppler::page::seascape) std::swap(w_pt, h_pt);
  // PDF 2.0 Annex C: page sides between 3 and 14,400 units; anything else is damage, not a page.
  if (!(w_pt >= 1 && h_pt >= 1 && w_pt <= 200'000 && h_pt <= 200'000)) {
    return fail(Status::invalid_argument("PDF page of " + std::to_string(w_pt) + " x " + std::to_string(h_pt) +
                                         " points cannot be rendered"));
  }
  const double dpi = 72.0 * options.width / w_pt;
  const int width = options.width;
  const int height = std::clamp(static_cast<int>(std::lround(h_pt * dpi / 72.0)), 1,
                                static_cast<int>(options.width * options.max_aspect));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_paper_color(0xffffffff);  // white, opaque
  renderer.set_image_format(poppler::image::format_bgr24);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi, 0, 0, width, height);
  if (!image.is_valid() || image.width() < 1 || image.height() < 1 || image.format() != poppler::image::format_bgr24) {
    return fail(Status::invalid_argument("corrupt PDF: its first page does not render"));
  }
  uint8_t* out = nullptr;
  size_t size = WebPEncodeBGR(reinterpret_cast<const uint8_t*>(image.const_data()), image.width(), image.height(),
                              image.bytes_per_row(), static_cast<float>(options.quality), &out);
  std::unique_ptr<uint8_t, void (*)(void*)> owned(out, WebPFree);
  if (size == 0 || out == nullptr) return fail(Status::internal("WebP encoding failed"));
  return RenderedPage{std::string(reinterpret_cast<const char*>(out), size), image.width(), image.height()};
}

}  // namespace paperboy::thumbs
