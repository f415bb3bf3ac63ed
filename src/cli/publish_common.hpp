#pragma once
// What `sdcore publish` and `sdcore verify` share: the rule as JSON (as the certificate records
// it), the kinds of the published figures read back from a published table, and the audit's
// suppressed cells as JSON, so that verify recomputes exactly what publish certified.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "cli/publish_spec.hpp"
#include "sdcore/publication.hpp"

namespace sdcore::cli {

using ojson = nlohmann::ordered_json;

inline constexpr const char* kCertificateSchema = "sdcore.certificate/1";

// The rule as the certificate records it.
ojson rule_json(const PublishSpec& spec);

// A published table as read back (NaN = suppressed): the kind of each figure, from the rule and
// the national cells alone (a suppressed cell is listed as kPrimary: the file cannot tell).
PublishedTable published_from_values(const Tabulation& published, const PublicationRule& rule,
                                     const std::vector<std::size_t>& national);

// The derived figures as the certificate records them (percent_of, mean and their decimals).
ojson statistics_json(const PublishSpec& spec);

// A derived figure as published: rounded to `decimals` (half away from zero) and written
// shortest, or the symbol for NaN.
std::string derived_text(double x, int decimals, const std::string& symbol);

// The audit's suppressed cells: label, codes, the rule's interval and the attacker's.
ojson suppressed_cells_json(const Tabulation& t, const PublicationAudit& audit);

}  // namespace sdcore::cli
