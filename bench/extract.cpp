// See extract.hpp.

#include "extract.hpp"

#include <memory>
#include <random>

#include "sdcore/synth.hpp"

namespace sdcore::bench {
namespace {

// Recodes a column through a function of its category text (numeric columns are factorized
// first): one level of a generalisation hierarchy.
template <class Label>
Column generalise(const Column& column, const std::string& name, Label label) {
  const Column source = factorize(column);
  std::map<std::string, std::int32_t> ids;
  std::vector<std::string> categories;
  std::vector<std::int32_t> lookup;
  for (const std::string& category : source.categories()) {
    const auto next = static_cast<std::int32_t>(categories.size());
    const auto [it, inserted] = ids.emplace(label(category), next);
    if (inserted) categories.push_back(it->first);
    lookup.push_back(it->second);
  }
  std::vector<std::int32_t> codes;
  codes.reserve(source.size());
  for (std::int32_t c : source.codes()) codes.push_back(c < 0 ? c : lookup[c]);
  return Column::categorical(name, std::move(codes), std::move(categories));
}

std::string age_band(const std::string& age) {
  const int lo = std::stoi(age) / 10 * 10;
  return lo >= 90 ? std::string("90+") : std::to_string(lo) + "-" + std::to_string(lo + 9);
}

std::string los_band(const std::string& days) {
  const int d = std::stoi(days);
  return d == 0 ? "0" : d <= 7 ? "1-7" : "8+";
}

std::string season(const std::string& date) {  // NHS winter: October to March
  const int month = std::stoi(date.substr(5, 2));
  return month >= 4 && month <= 9 ? "Apr-Sep" : "Oct-Mar";
}

std::string ethnic_category(const std::string& group) { return group.substr(0, group.find(':')); }

// NHS England region of a postcode district, from its area letters.
std::string region(const std::string& district) {
  static const std::map<std::string, std::string> kRegion = {
      {"LS", "North East and Yorkshire"}, {"BD", "North East and Yorkshire"},
      {"S", "North East and Yorkshire"},  {"NE", "North East and Yorkshire"},
      {"M", "North West"},  {"SK", "North West"}, {"L", "North West"},
      {"B", "Midlands"},    {"NG", "Midlands"},   {"BS", "South West"},
      {"E", "London"},      {"N", "London"},      {"SE", "London"}, {"SW", "London"}};
  return kRegion.at(district.substr(0, district.find_first_of("0123456789")));
}

std::unique_ptr<Extract> make_extract(std::size_t rows) {
  auto x = std::make_unique<Extract>();
  x->episodes = synth::hospital_episodes(rows, kSeed);
  using Label = std::string (*)(const std::string&);
  const auto add = [&](const char* from, const char* name, Label label) {
    x->derived.emplace(name, generalise(x->episodes.column(from), name, label));
  };
  add("age", "age_band", age_band);
  add("postcode_district", "region", region);
  add("ethnic_group", "ethnic_category", ethnic_category);
  add("length_of_stay", "los_band", los_band);
  add("admission_date", "season", season);
  std::mt19937_64 rng(kSeed);  // survey-style weights 10..73; the top 6 bits of each draw
  x->weights.resize(rows);
  for (double& w : x->weights) w = 10.0 + static_cast<double>(rng() >> 58);
  return x;
}

}  // namespace

const Column& Extract::column(const std::string& name) const {
  const auto it = derived.find(name);
  return it != derived.end() ? it->second : episodes.column(name);
}

std::vector<KeyCodes> Extract::keys(std::size_t count) const {
  std::vector<KeyCodes> out;
  for (std::size_t j = 0; j < count; ++j) {
    const Column& c = column(kQuasiIdentifiers[j]);
    out.push_back(KeyCodes::of(c.codes(), static_cast<std::int64_t>(c.categories().size())));
  }
  return out;
}

// Built on first use and kept, so each size is generated once per process.
const Extract& extract(std::size_t rows) {
  static std::map<std::size_t, std::unique_ptr<Extract>> cache;
  std::unique_ptr<Extract>& slot = cache[rows];
  if (!slot) slot = make_extract(rows);
  return *slot;
}

}  // namespace sdcore::bench
