// Unit tests for the web layer's pure pieces: escaping, code links, highlighting, listing periods,
// BibTeX and feed rendering.
#include <gtest/gtest.h>

#include "web/export.h"
#include "web/html.h"
#include "web/period.h"

namespace paperboy::web {
namespace {

core::Paper evil_paper() {
  core::Paper p;
  p.id = "2401.00001";
  p.title = "<script>alert(\"x\")</script> & $\\alpha < \\beta$ {unbalanced";
  p.abstract = "We show a < b & c > d with \"quotes\" and $x^2$. Code: https://github.com/org/repo.";
  p.authors = {{"M\xc3\xbcller", "Anna", ""}, {"O'Brien", "Pat", "Jr"}};
  p.categories = {"cs.LG", "stat.ML"};
  p.versions = {{1, 1704412800}, {2, 1704672000}};
  p.comments = "10 pages; see https://gitlab.com/a/b and http://example.com/not-code";
  return p;
}

TEST(EscapeHtml, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_html("$\\alpha$"), "$\\alpha$");
}

TEST(FindCodeLinks, FindsCodeHostsAndTrimsPunctuation) {
  struct Case {
    std::string text;
    std::vector<std::string> want;
  };
  std::vector<Case> cases = {
      {"Code at https://github.com/a/b.", {"https://github.com/a/b"}},
      {"(see https://gitlab.com/x/y), and https://github.com/a/b",
       {"https://gitlab.com/x/y", "https://github.com/a/b"}},
      {"https://example.com/x and https://github.com/", {}},
      {"\\url{https://github.com/a/b} twice https://github.com/a/b", {"https://github.com/a/b"}},
      {"https://huggingface.co/org/model;", {"https://huggingface.co/org/model"}},
      {"no links here", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(find_code_links(c.text), c.want) << c.text;
}

TEST(HighlightHtml, MarksTermsAndEscapesTheRest) {
  EXPECT_EQ(highlight_html("Diffusion <models> for diffusion", {"diffusion"}),
            "<mark>Diffusion</mark> &lt;models&gt; for <mark>diffusion</mark>");
  EXPECT_EQ(highlight_html("a <b>", {"<b>"}), "a <mark>&lt;b&gt;</mark>");
  EXPECT_EQ(highlight_html("x", {"x"}), "x");  // one-letter terms are ignored
}

TEST(HighlightHtml, MarksPluralsInflectionsAndHyphenatedForms) {
  EXPECT_EQ(highlight_html("Diffusion-based models model a modeling task", {"model"}),
            "Diffusion-based <mark>models</mark> <mark>model</mark> a <mark>modeling</mark> task");
  EXPECT_EQ(highlight_html("Diffusion-based models", {"diffusion", "models"}),
            "<mark>Diffusion</mark>-based <mark>models</mark>");
  EXPECT_EQ(highlight_html("Case studies of a study", {"studies"}),
            "Case <mark>studies</mark> of a <mark>study</mark>");
  // Whole words only: "model" does not mark the middle of another word.
  EXPECT_EQ(highlight_html("remodelled premodel", {"model"}), "remodelled premodel");
  EXPECT_EQ(highlight_html("diffuse diffusion", {"diffus*"}), "<mark>diffuse</mark> <mark>diffusion</mark>");
  EXPECT_EQ(highlight_html("large language models", {"language model"}), "large <mark>language model</mark>s");
  EXPECT_EQ(highlight_html("<models>", {"model"}), "&lt;<mark>models</mark>&gt;");
}

TEST(Period, ParsesDaysWeeksAndMonths) {
  struct Case {
    std::string text;
    Result<Period> (*parse)(std::string_view);
    std::string from, to;
  };
  std::vector<Case> cases = {
      {"2024-01-05", &parse_day, "2024-01-05", "2024-01-05"}, {"2024-02-29", &parse_day, "2024-02-29", "2024-02-29"},
      {"2024-W01", &parse_week, "2024-01-01", "2024-01-07"},  {"2021-W01", &parse_week, "2021-01-04", "2021-01-10"},
      {"2020-W53", &parse_week, "2020-12-28", "2021-01-03"},  {"2024-02", &parse_month, "2024-02-01", "2024-02-29"},
      {"2023-12", &parse_month, "2023-12-01", "2023-12-31"},
  };
  for (const auto& c : cases) {
    auto p = c.parse(c.text);
    ASSERT_TRUE(p) << c.text << ": " << p.error().to_string();
    EXPECT_EQ(p->from_day, c.from) << c.text;
    EXPECT_EQ(p->to_day, c.to) << c.text;
    EXPECT_EQ(p->slug, c.text);
  }
}

TEST(Period, RejectsImpossibleDates) {
  for (std::string bad : {"2023-02-29", "2024-13-01", "2024-1-5", "20240105", "x"}) EXPECT_FALSE(parse_day(bad)) << bad;
  EXPECT_FALSE(parse_week("2021-W53"));  // 2021 has 52 ISO weeks
  EXPECT_FALSE(parse_week("2024-W00"));
  EXPECT_FALSE(parse_month("2024-00"));
}

TEST(Period, ShiftsAcrossYearBoundaries) {
  EXPECT_EQ(shift_period(*parse_week("2020-W53"), 1)->slug, "2021-W01");
  EXPECT_EQ(shift_period(*parse_week("2021-W01"), -1)->slug, "2020-W53");
  EXPECT_EQ(shift_period(*parse_month("2024-01"), -1)->slug, "2023-12");
  EXPECT_EQ(shift_period(*parse_day("2024-03-01"), -1)->slug, "2024-02-29");
  EXPECT_EQ(period_path(*parse_week("2024-W10")), "/papers/week/2024-W10");
  EXPECT_EQ(parse_day("2024-01-05")->label, "Friday, 5 January 2024");
}

TEST(Bibtex, WritesFieldsAndDropsUnbalancedBraces) {
  std::string bib = bibtex_entry(evil_paper());
  EXPECT_TRUE(bib.starts_with("@misc{arxiv:2401.00001,\n")) << bib;
  EXPECT_NE(bib.find("author = {M\xc3\xbcller, Anna and O'Brien, Jr, Pat}"), std::string::npos) << bib;
  EXPECT_NE(bib.find("eprint = {2401.00001}"), std::string::npos);
  EXPECT_NE(bib.find("year = {2024}"), std::string::npos);
  EXPECT_NE(bib.find("month = jan"), std::string::npos);
  EXPECT_EQ(bib.find("{unbalanced"), std::string::npos) << "an unbalanced brace would corrupt the entry";
  int depth = 0;
  for (char c : bib) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
  EXPECT_EQ(depth, 0);
}

TEST(Feeds, AtomAndRssEscapePaperText) {
  store::StoredPaper sp{1, 1, evil_paper()};
  std::vector<store::StoredPaper> papers = {sp};
  FeedInfo info{"T & <feed>", "d", "http://h/feeds/daily.atom", "http://h/", 1704412800};
  for (const std::string& xml : {render_atom(info, papers), render_rss(info, papers)}) {
    EXPECT_EQ(xml.find("<script>"), std::string::npos);
    EXPECT_NE(xml.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(xml.find("T &amp; &lt;feed&gt;"), std::string::npos);
  }
  EXPECT_NE(render_atom(info, papers).find("<updated>2024-01-05T00:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(render_rss(info, papers).find("<pubDate>Fri, 05 Jan 2024 00:00:00 GMT</pubDate>"), std::string::npos);
}

TEST(ApiJson, FollowsTheDailyPapersShape) {
  auto item = daily_item_json(evil_paper());
  EXPECT_EQ(item["id"], "2401.00001");
  EXPECT_EQ(item["paper"]["id"], "2401.00001");
  EXPECT_EQ(item["paper"]["authors"][0]["name"], "Anna M\xc3\xbcller");
  EXPECT_EQ(item["paper"]["githubRepo"], "https://github.com/org/repo");
  EXPECT_EQ(item["paper"]["versions"].size(), 2u);
  EXPECT_EQ(item["publishedAt"], "2024-01-05T00:00:00Z");
  EXPECT_EQ(item["upvotes"], 0);
}

}  // namespace
}  // namespace paperboy::web
