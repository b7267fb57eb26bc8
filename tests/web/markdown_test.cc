// Safe markdown for comments (web/markdown.h): table-driven over hostile and ordinary input.
#include "web/markdown.h"

#include <gtest/gtest.h>

namespace paperboy::web {
namespace {

TEST(SafeLink, AcceptsWebMailAndSameSiteTargetsOnly) {
  struct Case {
    const char* url;
    bool safe;
  };
  for (const Case& c : {Case{"https://example.org/a", true}, Case{"HTTP://EXAMPLE.ORG", true},
                        Case{"mailto:ada@example.org", true}, Case{"/papers/2401.00001", true}, Case{"#c-1", true},
                        Case{"javascript:alert(1)", false}, Case{"JaVaScRiPt:alert(1)", false},
                        Case{"data:text/html,<b>", false}, Case{"vbscript:x", false}, Case{"//evil.example", false},
                        Case{"/\\evil.example", false}, Case{"file:///etc/passwd", false}, Case{"", false}}) {
    EXPECT_EQ(is_safe_link(c.url), c.safe) << c.url;
  }
}

TEST(RenderMarkdown, RendersCommonMarkAndDropsEverythingActive) {
  struct Case {
    const char* markdown;
    const char* must_contain;
    const char* must_not_contain;
  };
  for (const Case& c : {
           Case{"*em* and **strong**", "<em>em</em> and <strong>strong</strong>", "<script"},
           Case{"<script>alert(1)</script>", "raw HTML omitted", "<script"},
           Case{"x <img src=x onerror=alert(1)> y", "x", "onerror"},
           Case{"[a](javascript:alert(1))", "<a rel=\"nofollow ugc noopener\" href=\"\">a</a>", "javascript:"},
           Case{"[a](JAVASCRIPT:alert(1))", "href=\"\"", "JAVASCRIPT"},
           Case{"<a href=\"https://x.example\">raw</a>", "raw", "<a href=\"https://x.example\""},
           Case{"![alt](https://tracker.example/p.png)", "href=\"https://tracker.example/p.png\">alt</a>", "<img"},
           Case{"[ok](https://example.org/?a=1&b=\"2\")", "href=\"https://example.org/?a=1&amp;b=%222%22\"", "\"2\""},
           Case{"`<b>`", "<code>&lt;b&gt;</code>", "<b>"},
           Case{"[rel](/papers/2401.00001)", "href=\"/papers/2401.00001\"", "javascript"},
       }) {
    std::string html = render_markdown(c.markdown);
    EXPECT_NE(html.find(c.must_contain), std::string::npos) << c.markdown << " -> " << html;
    EXPECT_EQ(html.find(c.must_not_contain), std::string::npos) << c.markdown << " -> " << html;
  }
}

TEST(RenderMarkdown, InvalidUtf8IsReplacedNotPassedThrough) {
  std::string html = render_markdown(std::string("bad \xff\xfe byte"));
  EXPECT_EQ(html.find('\xff'), std::string::npos);
  EXPECT_NE(html.find("byte"), std::string::npos);
}

TEST(RenderMarkdown, MathSurvivesCommonMarkUntouchedAndEscaped) {
  struct Case {
    const char* markdown;
    const char* must_contain;
    const char* must_not_contain;
  };
  for (const Case& c : {
           Case{"Let $a_1 * b_2 * c_3$ be", "<span class=\"math\">\\(a_1 * b_2 * c_3\\)</span>", "<em>"},
           Case{"$x_i$ and $y_i$", "\\(x_i\\)</span> and <span class=\"math\">\\(y_i\\)", "<em>"},
           Case{"$$\\sum_{i=1}^n x_i^*$$", "<span class=\"math display\">\\[\\sum_{i=1}^n x_i^*\\]</span>", "<em>"},
           Case{"$$\na_1 *b* c_2\n$$", "\\[\na_1 *b* c_2\n\\]", "<em>"},
           Case{"$a<b>c$", "\\(a&lt;b&gt;c\\)", "<b>"},
           Case{"$<script>alert(1)</script>$", "&lt;script&gt;", "<script"},
           Case{"costs $5 and $10 *now*", "costs $5 and $10 <em>now</em>", "class=\"math\""},
           Case{"a $ b $ c", "a $ b $ c", "class=\"math\""},
           Case{"\\$x$ is a price", "$x$ is a price", "class=\"math\""},
           Case{"`$x_1$` in code", "<code>$x_1$</code>", "class=\"math\""},
           Case{"```\n$a_1$ and $b_2$\n```", "$a_1$ and $b_2$", "class=\"math\""},
           Case{"$a\n\nb$", "$a", "class=\"math\""},
           Case{"*em* then $x^*$ then *em*", "<em>em</em> then <span class=\"math\">\\(x^*\\)</span> then <em>em</em>",
                "<script"},
           Case{"[$x$](https://e.example/$y$)", "href=\"https://e.example/$y$\"><span class=\"math\">\\(x\\)", "%EE"},
           // Math never lands inside an attribute: a title or reference destination keeps its TeX.
           Case{"[r]: https://x.example \"b $y$ c\"\n\n[r] and $z$", "title=\"b $y$ c\"", "title=\"b <span"},
           Case{"[r]: https://x.example/$a$b$ \"t\"\n\n[r]", "href=\"https://x.example/$a$b$\"", "%EE"},
           Case{"<https://x.example/$a$>", "href=\"https://x.example/$a$\"", "%EE"},
           // A fence set_math_aside does not see (in a blockquote) keeps its math as code.
           Case{"> ```py$$x$$\n> $a_1$ b\n> ```", "<code class=\"language-py$$x$$\">$a_1$ b", "class=\"math"},
           Case{"stray \xEE\x80\x80"
                "0\xEE\x80\x81 marks",
                "stray", "\xEE\x80\x80"},
       }) {
    std::string html = render_markdown(c.markdown);
    EXPECT_NE(html.find(c.must_contain), std::string::npos) << c.markdown << " -> " << html;
    EXPECT_EQ(html.find(c.must_not_contain), std::string::npos) << c.markdown << " -> " << html;
  }
}

}  // namespace
}  // namespace paperboy::web
