// render_first_page: a PDF's first page as a small WebP image, for listing cards. Renders with
// poppler (Debian's libpoppler-cpp) on a white background at the width asked for, keeping the
// page's aspect ratio (very tall pages are cut at 4x the width), and encodes with libwebp (lossy,
// quality 75: text pages stay legible at a few KB). Refuses what is not a PDF, is larger than
// `max_pdf_bytes`, is encrypted, has no page or a degenerate one, with kInvalidArgument saying
// which. Thread-safe: each call has its own document and renderer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::thumbs {

struct RenderOptions {
  int width = 320;                          // pixels
  int quality = 75;                         // WebP quality, 0..100
  std::int64_t max_pdf_bytes = 50LL << 20;  // larger inputs are refused unread
  double max_aspect = 4;                    // height at most this times the width
};

struct RenderedPage {
  std::string webp;  // the encoded image
  int width = 0, height = 0;
};

[[nodiscard]] Result<RenderedPage> render_first_page(std::string_view pdf, const RenderOptions& options = {});

}  // namespace paperboy::thumbs
