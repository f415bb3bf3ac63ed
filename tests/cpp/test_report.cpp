// The risk report: leave-one-out contributions against a naive std::map recount, and the HTML
// renderer's contract (refuses documents it did not make; escapes what it prints).

#include <gtest/gtest.h>

#include <map>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/report.hpp"
#include "test_support.hpp"

using namespace sdcore;

TEST(Report, ContributionsAreLeaveOneOutUniques) {
  const Table t = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  const std::vector<std::string> qi = {"urbrur", "roof", "walls", "water", "sex"};
  const auto got = attribute_contributions(t, qi);
  ASSERT_EQ(got.size(), qi.size());
  for (std::size_t j = 0; j < qi.size(); ++j) {
    std::map<std::vector<std::string>, int> count;
    auto key = [&](std::size_t i) {
      std::vector<std::string> k;
      for (std::size_t q = 0; q < qi.size(); ++q) {
        if (q != j) k.push_back(t.column(qi[q]).format(i));
      }
      return k;
    };
    for (std::size_t i = 0; i < t.num_rows(); ++i) ++count[key(i)];
    std::int64_t uniques = 0;
    for (const auto& [k, c] : count) uniques += c == 1;
    EXPECT_EQ(got[j].attribute, qi[j]);
    EXPECT_EQ(got[j].sample_uniques_without, uniques) << qi[j];
  }
}

TEST(Report, HtmlFromJsonAndEscaping) {
  const Table t = read_csv_text("k,w\n<b>,1\nx,2\nx,3\n");
  const auto r = measure_risk(t, {"k"}, "w");
  const RiskReportInfo info{"a<&>b.csv", {"k"}, "w", "", "own", "approx"};
  const std::string json = risk_report_json(r, info, attribute_contributions(t, {"k"}));
  EXPECT_NE(json.find("\"schema\": \"sdcore.risk/1\""), std::string::npos);
  const std::string html = risk_report_html(json);
  EXPECT_EQ(html.find("<b>"), std::string::npos);  // data never becomes markup
  EXPECT_NE(html.find("a&lt;&amp;&gt;b.csv"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg") != std::string::npos, true);
  EXPECT_THROW(risk_report_html("not json"), InvalidArgument);
  EXPECT_THROW(risk_report_html("{\"schema\": \"other\"}"), InvalidArgument);
  EXPECT_THROW(risk_report_html("{\"schema\": \"sdcore.risk/1\"}"), InvalidArgument);
}
