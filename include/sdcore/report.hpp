#pragma once
/// \file report.hpp
/// Reports an auditor can read: a JSON document with every figure (schema `sdcore.risk/1`,
/// documented in docs/cli.md) and a self-contained HTML page rendered from it, with charts
/// drawn as inline SVG so the page needs no network and no script.
///
/// Example:
/// \code
///   auto result = sdcore::measure_risk(table, qi, "w");
///   sdcore::RiskReportInfo info{"episodes.csv", qi, "w", "", "own", "approx"};
///   auto contributions = sdcore::attribute_contributions(table, qi);
///   std::string json = sdcore::risk_report_json(result, info, contributions);
///   std::string html = sdcore::risk_report_html(json);
/// \endcode
///
/// Thread-safety: re-entrant.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sdcore/loglinear.hpp"
#include "sdcore/risk.hpp"

namespace sdcore {

/// What was measured, for the report's header.
struct RiskReportInfo {
  std::string input;
  std::vector<std::string> quasi_identifiers;
  std::string weight;     ///< "" for none
  std::string household;  ///< "" for none
  std::string missing = "own";
  std::string method = "approx";
};

/// How much one quasi-identifier contributes to uniqueness: the sample uniques that remain when
/// it is left out of the key (a leave-one-out measure; fewer remaining = larger contribution).
struct AttributeContribution {
  std::string attribute;
  std::int64_t sample_uniques_without = 0;
};

/// Leave-one-out contributions of each quasi-identifier (one class computation per attribute).
/// With a single quasi-identifier, leaving it out leaves no key: every record is then in one
/// class, so no uniques remain.
std::vector<AttributeContribution> attribute_contributions(const Table& table,
                                                           const std::vector<std::string>& quasi_identifiers,
                                                           MissingPolicy missing = MissingPolicy::kOwnValue);
/// The same on code views; `names` label the keys; `frequency` as in ClassOptions (aggregated
/// rows; empty for one row per record).
std::vector<AttributeContribution> attribute_contributions(Span<const KeyCodes> keys, std::size_t rows,
                                                           const std::vector<std::string>& names,
                                                           MissingPolicy missing = MissingPolicy::kOwnValue,
                                                           Span<const std::int64_t> frequency = {});

/// The JSON document of a risk measurement (pretty-printed, stable key order); `loglinear`, if
/// given, adds the log-linear model's global measures.
std::string risk_report_json(const RiskResult& result, const RiskReportInfo& info,
                             const std::vector<AttributeContribution>& contributions,
                             const LogLinearRisk* loglinear = nullptr);

/// A self-contained HTML page from a document made by risk_report_json. Throws InvalidArgument
/// if `json` is not such a document.
std::string risk_report_html(std::string_view json);

}  // namespace sdcore
