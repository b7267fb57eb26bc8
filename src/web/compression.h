// Response compression, done once per response body rather than once per request. cpp-httplib, the
// earlier transport, compressed every reply itself, and for browsers (which offer "br") at Brotli 11:
// ~140 ms of CPU for a 130 KB listing page, on every request, cached pages included. Here each
// cached page and static asset keeps its compressed variants, made on first use. Pages use a fast
// effort (Brotli 3 / gzip 3: ~0.25 ms for a 50 KB search page, which is often asked for once);
// static assets a thorough one (Brotli 5 / gzip 6: 5 ms once for KaTeX's 270 KB script, 10%
// smaller). Measured on this machine; quality 11 would take 290 ms for that script.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace paperboy::web {

enum class Encoding { kIdentity, kGzip, kBrotli };
enum class Effort { kFast, kThorough };

// The best coding the client accepts (RFC 9110 §12.5.3: tokens with q-values; q=0 refuses;
// Brotli preferred to gzip at equal weight).
[[nodiscard]] Encoding preferred_encoding(std::string_view accept_encoding);
// "gzip", "br" or "".
[[nodiscard]] std::string_view encoding_name(Encoding e);
// Text-like media types worth compressing (HTML, CSS, JS, JSON, XML feeds, BibTeX, SVG).
[[nodiscard]] bool is_compressible(std::string_view content_type);

[[nodiscard]] std::string gzip_compress(std::string_view data, Effort effort = Effort::kThorough);
[[nodiscard]] std::string brotli_compress(std::string_view data, Effort effort = Effort::kThorough);

// A body's compressed forms, each made once on first request. Thread-safe.
class CompressedVariants {
 public:
  explicit CompressedVariants(Effort effort = Effort::kFast) : effort_(effort) {}
  // The body in encoding `e` (`body` itself for identity).
  [[nodiscard]] std::string_view get(Encoding e, std::string_view body);

 private:
  Effort effort_;
  std::once_flag gzip_once_, brotli_once_;
  std::string gzip_, brotli_;
};

}  // namespace paperboy::web
