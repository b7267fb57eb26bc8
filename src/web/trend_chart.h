// The papers-per-week chart of a query as inline SVG: server-rendered, no script, one <path> for the
// bars (about 2 KB at 52 weeks), colours from the stylesheet (light and dark), labelled for
// screen readers, with the same numbers as a table behind a disclosure.
#pragma once

#include <string>
#include <string_view>

#include "app/trend_service.h"

namespace paperboy::web {

// `caption` is text (escaped here), e.g. "Papers per week matching “diffusion”".
[[nodiscard]] std::string trend_chart_html(const app::QueryTrend& trend, std::string_view caption);

}  // namespace paperboy::web
