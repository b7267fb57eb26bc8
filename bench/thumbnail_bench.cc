// Thumbnail rendering figures for the README: the time to render and encode a PDF's first page,
// and the size of the thumbnail, over PDFs given on the command line (bench/thumbnail_bench.sh
// passes the TeX-made manuals Debian ships) or, without any, the tests' hand-made one-page PDF.
// Each first page is rendered `--repeat` times (default 5); the figure per PDF is its median.
//   build/release/bench/thumbnail_bench [--repeat N] [FILE.pdf ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_pdf.h"
#include "thumbs/page_render.h"

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<std::pair<std::string, std::string>> inputs;  // name, bytes
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
      continue;
    }
    std::ifstream in(arg, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", arg.c_str());
      return 2;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    inputs.emplace_back(arg, bytes.str());
  }
  if (inputs.empty()) inputs.emplace_back("generated one-page PDF", paperboy::testing::one_page_pdf());
  std::vector<double> medians;
  double total_bytes = 0;
  int rendered = 0;
  for (const auto& [name, pdf] : inputs) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    bool ok = true;
    for (int r = 0; r < repeat && ok; ++r) {
      auto start = std::chrono::steady_clock::now();
      auto page = paperboy::thumbs::render_first_page(pdf);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      if (!page) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), page.error().to_string().c_str());
        ok = false;
      } else {
        bytes = page->webp.size();
      }
    }
    if (!ok) continue;
    std::sort(ms.begin(), ms.end());
    double median = ms[ms.size() / 2];
    std::printf("%-60s pdf %8zu bytes  render %7.1f ms  thumbnail %6zu bytes\n", name.c_str(), pdf.size(), median,
                bytes);
    medians.push_back(median);
    total_bytes += static_cast<double>(bytes);
    ++rendered;
  }
  if (rendered == 0) return 1;
  std::sort(medians.begin(), medians.end());
  double mean_ms = 0;
  for (double m : medians) mean_ms += m;
  mean_ms /= rendered;
  std::printf("pdfs=%d render_ms_per_page=%.1f (median %.1f, max %.1f) bytes_per_thumbnail=%.0f\n", rendered, mean_ms,
              medians[medians.size() / 2], medians.back(), total_bytes / rendered);
  return 0;
}
