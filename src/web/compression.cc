#include "web/compression.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/text.h"

namespace paperboy::web {
namespace {

using core::trim_blanks;

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5" -> 0.5); 1 when absent, 0 when malformed.
double q_value(std::string_view params) {
  size_t at = params.find("q=");
  if (at == std::string_view::npos) return 1.0;
  std::string v(trim_blanks(params.substr(at + 2)));
  try {
    return std::clamp(std::stod(v), 0.0, 1.0);
  } catch (const std::exception&) {
    return 0.0;
  }
}

}  // namespace

Encoding preferred_encoding(std::string_view accept_encoding) {
  double gzip = 0, brotli = 0;
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view token = trim_blanks(item.substr(0, semi));
    double q = semi == std::string_view::npos ? 1.0 : q_value(item.substr(semi + 1));
    // "*" (any coding not named) is not taken up: identity is always acceptable, and a client
    // that names no coding has not said it decodes ours.
    if (iequals(token, "gzip") || iequals(token, "x-gzip")) {
      gzip = q;
    } else if (iequals(token, "br")) {
      brotli = q;
    }
  }
  if (brotli > 0 && brotli >= gzip) return Encoding::kBrotli;
  if (gzip > 0) return Encoding::kGzip;
  return Encoding::kIdentity;
}

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::kGzip: return "gzip";
    case Encoding::kBrotli: return "br";
    case Encoding::kIdentity: break;
  }
  return "";
}

bool is_compressible(std::string_view content_type) {
  std::string_view type = trim_blanks(content_type.substr(0, content_type.find(';')));
  if (type.starts_with("text/")) return type != "text/event-stream";
  for (std::string_view t : {"application/javascript", "application/json", "application/xml", "application/atom+xml",
                             "application/rss+xml", "application/x-bibtex", "image/svg+xml", "application/xhtml+xml"}) {
    if (type == t) return true;
  }
  return false;
}

std::string gzip_compress(std::string_view data, Effort effort) {
  z_stream z{};
  // 15 + 16: a gzip (not zlib) wrapper.
  const int level = effort == Effort::kFast ? 3 : 6;
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

std::string brotli_compress(std::string_view data, Effort effort) {
  size_t size = BrotliEncoderMaxCompressedSize(data.size());
  std::string out(size, '\0');
  const int quality = effort == Effort::kFast ? 3 : 5;
  if (BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                            reinterpret_cast<const uint8_t*>(data.data()), &size,
                            reinterpret_cast<uint8_t*>(out.data())) == BROTLI_FALSE) {
    throw std::runtime_error("BrotliEncoderCompress failed");
  }
  out.resize(size);
  return out;
}

std::string_view CompressedVariants::get(Encoding e, std::string_view body) {
  switch (e) {
    case Encoding::kGzip: std::call_once(gzip_once_, [&] { gzip_ = gzip_compress(body, effort_); }); return gzip_;
    case Encoding::kBrotli:
      std::call_once(brotli_once_, [&] { brotli_ = brotli_compress(body, effort_); });
      return brotli_;
    case Encoding::kIdentity: break;
  }
  return body;
}

}  // namespace paperboy::web
