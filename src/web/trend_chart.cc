#include "web/trend_chart.h"

#include <algorithm>
#include <cstdio>

#include "web/html.h"
#include "web/period.h"

namespace paperboy::web {

namespace {

constexpr int kWidth = 360;
constexpr int kPlotTop = 14;
constexpr int kPlotBottom = 64;
constexpr int kHeight = 80;

std::string fixed(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f", v);
  return out;
}

}  // namespace

std::string trend_chart_html(const app::QueryTrend& trend, std::string_view caption) {
  if (trend.weeks.empty()) return "";
  const size_t n = trend.weeks.size();
  const double step = static_cast<double>(kWidth) / static_cast<double>(n);
  const double bar = std::max(1.0, step * 0.8);
  const double plot = kPlotBottom - kPlotTop;
  const double peak = static_cast<double>(std::max<std::int64_t>(trend.peak, 1));
  std::string path;
  for (size_t i = 0; i < n; ++i) {
    const auto papers = trend.weeks[i].papers;
    if (papers <= 0) continue;
    const double h = std::max(1.0, plot * static_cast<double>(papers) / peak);
    path += "M" + fixed(static_cast<double>(i) * step) + " " + std::to_string(kPlotBottom) + "v-" + fixed(h) + "h" +
            fixed(bar) + "v" + fixed(h) + "z";
  }
  const std::string first = day_string(trend.weeks.front().monday);
  const std::string last = day_string(trend.weeks.back().monday);
  const std::string summary = std::to_string(trend.papers) + " papers in " + std::to_string(n) + " weeks from " +
                              first + " to the week of " + last + "; at most " + std::to_string(trend.peak) +
                              " in one week";
  std::string out =
      "<figure class=\"trend\"><figcaption id=\"trend-caption\">" + escape_html(caption) + "</figcaption>";
  out += "<svg class=\"trend-chart\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(kHeight) +
         "\" role=\"img\" aria-labelledby=\"trend-caption trend-summary\" xmlns=\"http://www.w3.org/2000/svg\">";
  out += "<desc id=\"trend-summary\">" + escape_html(summary) + "</desc>";
  out += "<line class=\"axis\" x1=\"0\" y1=\"" + std::to_string(kPlotBottom) + "\" x2=\"" + std::to_string(kWidth) +
         "\" y2=\"" + std::to_string(kPlotBottom) + "\"/>";
  if (!path.empty()) out += "<path class=\"bars\" d=\"" + path + "\"/>";
  out += "<text x=\"0\" y=\"10\">" + std::to_string(trend.peak) + " a week at most</text>";
  out += "<text x=\"0\" y=\"78\">" + first + "</text>";
  out += "<text x=\"" + std::to_string(kWidth) + "\" y=\"78\" text-anchor=\"end\">" + last + "</text>";
  out +=
      "</svg><details class=\"trend-table\"><summary>The numbers, week by week</summary><table><thead><tr>"
      "<th scope=\"col\">Week</th><th scope=\"col\">From</th><th scope=\"col\">Papers</th></tr></thead><tbody>";
  for (auto it = trend.weeks.rbegin(); it != trend.weeks.rend(); ++it) {
    out += "<tr><td>" + it->week + "</td><td>" + day_string(it->monday) + "</td><td>" + std::to_string(it->papers) +
           "</td></tr>";
  }
  out += "</tbody></table></details></figure>";
  return out;
}

}  // namespace paperboy::web
