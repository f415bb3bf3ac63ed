// Seeded synthetic hospital episodes and A&E counts (see synth.hpp).
//
// Probabilities are integer weights and draws map raw std::mt19937_64 output with integer
// arithmetic (the one std::sqrt is correctly rounded under IEEE 754), so no libm or
// floating-point contraction on another platform can change a value. The "world" (districts,
// their sizes, providers) is fixed; the seed only decides who is drawn from it.

#include "sdcore/synth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/column_access.hpp"
#include "sdcore/error.hpp"

namespace sdcore::synth {
namespace {

using Engine = std::mt19937_64;

// Uniform in [0, n) for n <= 2^32 by multiply-shift of the top 32 bits: one draw, no rejection;
// the bias (below n / 2^32) is far below anything these data could show.
std::uint64_t below(std::uint64_t raw, std::uint64_t n) { return ((raw >> 32) * n) >> 32; }

// An index drawn with probability proportional to integer weights (total at most 2^32) by
// Walker's alias method, built as Vose does: one engine call per draw (the top bits pick a
// cell, the low 32 bits decide between the cell and its alias) and no data-dependent search.
class Sampler {
 public:
  Sampler() = default;
  template <class Range>
  explicit Sampler(const Range& weights) {
    std::vector<std::uint64_t> w;
    for (auto x : weights) w.push_back(static_cast<std::uint64_t>(x));
    const std::uint64_t n = w.size(), total = std::accumulate(w.begin(), w.end(), std::uint64_t{0});
    if (total == 0 || total > (std::uint64_t{1} << 32)) throw Error("synth: bad weight table");
    std::vector<std::size_t> small, large;
    cells_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      w[i] *= n;  // compare with total: below it the cell needs an alias
      (w[i] < total ? small : large).push_back(i);
      cells_[i] = {std::uint64_t{1} << 32, static_cast<std::int32_t>(i)};
    }
    while (!small.empty() && !large.empty()) {
      const std::size_t s = small.back(), l = large.back();
      small.pop_back();
      cells_[s] = {(w[s] << 32) / total, static_cast<std::int32_t>(l)};
      w[l] -= total - w[s];
      if (w[l] < total) {
        large.pop_back();
        small.push_back(l);
      }
    }
  }
  std::int32_t operator()(Engine& rng) const {
    const std::uint64_t raw = rng();
    const std::uint64_t k = below(raw, cells_.size());
    return (raw & 0xFFFFFFFFu) < cells_[k].keep ? static_cast<std::int32_t>(k) : cells_[k].alias;
  }

 private:
  struct Cell { std::uint64_t keep; std::int32_t alias; };  // keep: P(cell) in units of 2^-32
  std::vector<Cell> cells_;
};

// ---- The world: fixed lists with England-like shares -----------------------------------------

constexpr int kMaxAge = 105;
constexpr int kBands = 8;  // age bands 0, 1-4, 5-14, 15-29, 30-49, 50-64, 65-79, 80+
constexpr int kBandTop[kBands - 1] = {0, 4, 14, 29, 49, 64, 79};
constexpr int kProfiles = 3;  // ethnicity of an area: rest of England, London, Bradford/Birmingham
constexpr int kChapters = 22;
constexpr int kPregnancy = 14, kPerinatal = 15;  // chapters XV and XVI
enum Method { kElective, kEmergency, kMaternity, kTransfer, kMethods };

constexpr std::string_view kSexes[] = {"Female", "Male", "Indeterminate", "Not known"};
constexpr std::string_view kMethodNames[] = {"Elective", "Emergency", "Maternity", "Transfer"};
constexpr std::string_view kChapterNames[kChapters] = {
    "I",   "II",   "III", "IV", "V",   "VI",   "VII",   "VIII", "IX", "X",   "XI",
    "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX",  "XX", "XXI", "XXII"};

// Admissions per year of age, linear between anchors: births at 0, a peak around 75.
constexpr std::pair<int, int> kAgeAnchors[] = {
    {0, 8000},  {1, 1200},  {5, 700},   {10, 600},  {15, 800},  {20, 1100}, {25, 1400}, {30, 1600},
    {35, 1400}, {40, 1200}, {45, 1300}, {50, 1500}, {55, 1700}, {60, 1900}, {65, 2200}, {70, 2600},
    {75, 2800}, {80, 2700}, {85, 2200}, {90, 1200}, {95, 400},  {100, 80},  {105, 5}};

// Female share per 10000 by age band (maternity at 15-49, longevity at 80+); Indeterminate and
// Not known take 5 each, so they are very rare, as in real extracts.
constexpr int kFemale[kBands] = {4870, 4400, 4600, 6200, 5900, 4800, 4700, 5600};

// The 19 ONS 2021 census groups (TS021) and, per area profile, per mille of those stated.
constexpr std::string_view kEthnicHeads[] = {
    "White", "Mixed or Multiple ethnic groups", "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African", "Other ethnic group"};
constexpr std::pair<int, std::string_view> kEthnicGroups[] = {
    {0, "English, Welsh, Scottish, Northern Irish or British"}, {0, "Irish"},
    {0, "Gypsy or Irish Traveller"}, {0, "Roma"}, {0, "Other White"},
    {1, "White and Black Caribbean"}, {1, "White and Black African"}, {1, "White and Asian"},
    {1, "Other Mixed or Multiple ethnic groups"}, {2, "Indian"}, {2, "Pakistani"},
    {2, "Bangladeshi"}, {2, "Chinese"}, {2, "Other Asian"}, {3, "African"}, {3, "Caribbean"},
    {3, "Other Black"}, {4, "Arab"}, {4, "Any other ethnic group"}};
constexpr int kEthnicShare[kProfiles][std::size(kEthnicGroups)] = {
    {835, 7, 1, 2, 38, 8, 3, 7, 6, 19, 20, 4, 6, 10, 14, 5, 2, 4, 9},
    {368, 18, 1, 4, 147, 15, 8, 15, 19, 75, 33, 37, 17, 46, 79, 39, 17, 16, 46},
    {520, 5, 2, 4, 40, 15, 3, 12, 7, 40, 200, 22, 4, 18, 30, 25, 8, 10, 35}};
constexpr int kNotStated = 50;  // per mille of all records: "Not stated"

// Postcode areas: districts ("a-b" ranges or literal suffixes), relative size, ethnicity profile.
struct Area { std::string_view prefix, districts; int weight, profile; };
constexpr Area kAreas[] = {
    {"LS", "1-29", 10, 0}, {"BD", "1-24", 4, 2}, {"M", "1-9,11-35,38,40,41,43-46,50,90", 12, 0},
    {"SK", "1-17,22,23", 6, 0}, {"B", "1-50,60-80,90-98", 5, 2}, {"NG", "1-25,31-34", 8, 0},
    {"S", "1-14,17,18,20,21,25,26,32,33,35,36,40-45,60-66,70-75,80,81", 9, 0},
    {"NE", "1-13,15-49,61-71", 9, 0}, {"L", "1-40", 9, 0},
    {"BS", "1-16,20-32,34-37,39-41,48,49", 8, 0}, {"E", "1-18,1W,20", 4, 1},
    {"N", "1-22,1C", 4, 1}, {"SE", "1-28", 5, 1}, {"SW", "1A,1E,1H,1P,1V,1W,1X,1Y,2-20", 5, 1}};
constexpr std::size_t kAreaCount = std::size(kAreas);

// Codes in the style of English acute trusts (several are real trust codes) with the area (index
// into kAreas) each serves and a size; catchments and sizes are illustrative, not real activity.
struct Provider { std::string_view code; int area, size; };
constexpr Provider kProviders[] = {
    {"RR8", 0, 10}, {"RXF", 0, 6},  {"RAE", 1, 8},   {"RCF", 1, 4},  {"R0A", 2, 10},
    {"RM3", 2, 8},  {"RWJ", 3, 6},  {"RMP", 3, 4},   {"RRK", 4, 10}, {"RXK", 4, 6},
    {"RNA", 4, 5},  {"RX1", 5, 10}, {"RK5", 5, 5},   {"RHQ", 6, 10}, {"RFR", 6, 4},
    {"RP5", 6, 5},  {"RFF", 6, 4},  {"RTD", 7, 10},  {"RTF", 7, 7},  {"RR7", 7, 4},
    {"R0B", 7, 6},  {"REM", 8, 10}, {"RVY", 8, 4},   {"RBN", 8, 5},  {"RBL", 8, 5},
    {"RA7", 9, 8},  {"RVJ", 9, 7},  {"R1H", 10, 10}, {"RQX", 10, 4}, {"RF4", 10, 7},
    {"RAP", 11, 5}, {"RAL", 11, 8}, {"RKE", 11, 4},  {"RJ1", 12, 10}, {"RJZ", 12, 8},
    {"RJ2", 12, 6}, {"RJ7", 13, 8}, {"RYJ", 13, 9},  {"RQM", 13, 6}, {"RAX", 13, 4}};
constexpr int kHomePerMille = 950;  // the rest are referred or travel to another area

// Primary-diagnosis chapter weights by age band (XV is kept for women of 15-49 below).
constexpr int kChapterWeight[kChapters][kBands] = {
    {200, 600, 300, 150, 120, 110, 130, 180},     {10, 80, 120, 150, 400, 1500, 1600, 800},
    {50, 100, 100, 80, 120, 150, 200, 250},       {50, 150, 200, 150, 150, 200, 250, 300},
    {0, 50, 250, 400, 300, 150, 80, 100},         {50, 300, 350, 250, 250, 300, 300, 300},
    {50, 150, 100, 80, 150, 400, 800, 600},       {50, 350, 200, 60, 60, 60, 40, 30},
    {30, 30, 40, 80, 300, 1100, 1500, 1700},      {400, 1800, 900, 400, 400, 600, 900, 1200},
    {200, 600, 900, 1200, 1500, 1700, 1300, 900}, {50, 300, 300, 250, 200, 200, 200, 250},
    {10, 100, 400, 400, 600, 900, 800, 500},      {100, 400, 400, 500, 600, 600, 700, 900},
    {0, 0, 0, 3000, 2000, 0, 0, 0},               {6000, 20, 0, 0, 0, 0, 0, 0},
    {300, 150, 100, 30, 20, 10, 5, 5},            {400, 1200, 1200, 1200, 1200, 1100, 1100, 1300},
    {150, 1000, 1300, 1000, 700, 600, 700, 1100}, {5, 5, 5, 5, 5, 5, 5, 5},
    {1800, 200, 300, 400, 600, 700, 800, 600},    {20, 30, 30, 50, 60, 80, 100, 100}};

// Planned share per chapter (per mille): eye, cancer and Z-code care are mostly elective.
constexpr int kElectiveShare[kChapters] = {100, 800, 600, 350, 150, 400, 900, 600, 350, 100, 550,
                                           450, 700, 500, 0,   0,   600, 200, 100, 100, 850, 50};

// ---- The model: one sampler per condition ----------------------------------------------------

// "1-3,1W" -> {"1", "2", "3", "1W"}
std::vector<std::string> expand(std::string_view spec) {
  std::vector<std::string> out;
  for (std::size_t at = 0, end = 0; at < spec.size(); at = end + 1) {
    end = std::min(spec.find(',', at), spec.size());
    const std::string item(spec.substr(at, end - at));
    int lo = 0, hi = 0;
    if (std::sscanf(item.c_str(), "%d-%d", &lo, &hi) != 2) {
      out.push_back(item);
    } else {
      for (int n = lo; n <= hi; ++n) out.push_back(std::to_string(n));
    }
  }
  return out;
}

std::string iso_date(int year, int month, int day) {
  char buf[40];  // room for any int, to keep -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

struct Model {
  Sampler age;
  std::array<int, kMaxAge + 1> band{};
  std::array<Sampler, kBands> sex;
  std::vector<std::string> districts;
  std::vector<int> district_area;
  Sampler district;
  std::array<Sampler, kProfiles> ethnic;
  std::array<Sampler, 2 * kBands> chapter;    // [band][may be pregnant]
  std::array<Sampler, kChapters + 1> method;  // last: perinatal chapter after the first year
  std::vector<std::string> dates;
  std::array<Sampler, 2> date;  // [elective]
  std::array<Sampler, kAreaCount> provider;
  std::array<Sampler, kMethods * kBands> stay;
};

void build_people(Model& m) {
  std::vector<int> w(kMaxAge + 1);
  for (std::size_t k = 0; k + 1 < std::size(kAgeAnchors); ++k) {
    const auto [a0, w0] = kAgeAnchors[k];
    const auto [a1, w1] = kAgeAnchors[k + 1];
    for (int a = a0; a <= a1; ++a) w[a] = w0 + (w1 - w0) * (a - a0) / (a1 - a0);
  }
  m.age = Sampler(w);
  for (int a = 0, b = 0; a <= kMaxAge; ++a) {
    while (b < kBands - 1 && a > kBandTop[b]) ++b;
    m.band[a] = b;
  }
  for (int b = 0; b < kBands; ++b) {
    m.sex[b] = Sampler(std::array{kFemale[b], 9990 - kFemale[b], 5, 5});
  }
  for (int p = 0; p < kProfiles; ++p) {
    std::vector<int> e;
    for (int share : kEthnicShare[p]) e.push_back(share * (1000 - kNotStated));
    e.push_back(kNotStated * 1000);
    m.ethnic[p] = Sampler(e);
  }
}

// District sizes fall off like 1/(rank + 3) within an area (Zipf-like, flattened at the top);
// ranks are a fixed shuffle so the lowest-numbered district is not always the largest.
void build_places(Model& m) {
  Engine world(20231);
  std::vector<std::uint64_t> w;
  for (std::size_t a = 0; a < kAreaCount; ++a) {
    const auto suffixes = expand(kAreas[a].districts);
    std::vector<std::uint64_t> rank(suffixes.size());
    std::iota(rank.begin(), rank.end(), 0);
    for (std::size_t k = rank.size(); k > 1; --k) std::swap(rank[k - 1], rank[below(world(), k)]);
    for (std::size_t k = 0; k < suffixes.size(); ++k) {
      m.districts.push_back(std::string(kAreas[a].prefix) + suffixes[k]);
      m.district_area.push_back(static_cast<int>(a));
      w.push_back(static_cast<std::uint64_t>(kAreas[a].weight) * 100000 / (rank[k] + 3));
    }
  }
  m.district = Sampler(w);
  std::array<int, kAreaCount> home{};
  int all = 0;
  for (const auto& p : kProviders) home[p.area] += p.size, all += p.size;
  for (std::size_t a = 0; a < kAreaCount; ++a) {
    std::vector<int> pw;  // the area's providers share kHomePerMille in proportion to size
    for (const auto& p : kProviders) {
      pw.push_back(p.area == static_cast<int>(a) ? kHomePerMille * p.size * (all - home[a])
                                                 : (1000 - kHomePerMille) * p.size * home[a]);
    }
    m.provider[a] = Sampler(pw);
  }
}

void build_care(Model& m) {
  for (int b = 0; b < kBands; ++b) {
    for (int pregnant = 0; pregnant < 2; ++pregnant) {
      std::vector<int> w;
      for (int c = 0; c < kChapters; ++c) {
        w.push_back(c == kPregnancy && !pregnant ? 0 : kChapterWeight[c][b]);
      }
      m.chapter[2 * b + pregnant] = Sampler(w);
    }
  }
  constexpr int kTransfer = 15;  // per mille, any chapter
  for (int c = 0; c < kChapters; ++c) {
    const int elective = kElectiveShare[c] * (1000 - kTransfer) / 1000;
    m.method[c] = Sampler(std::array{elective, 1000 - kTransfer - elective, 0, kTransfer});
  }
  m.method[kPregnancy] = Sampler(std::array{50, 150, 790, 10});
  m.method[kPerinatal] = Sampler(std::array{0, 250, 720, 30});  // births
  m.method[kChapters] = Sampler(std::array{300, 680, 0, 20});
}

// Planned work stops at weekends and bank holidays and dips in August and December;
// emergencies dip a little at weekends and rise in winter.
void build_dates(Model& m) {
  constexpr int kDays[12] = {30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29, 31};  // from April 2023
  constexpr int kMonth[2][12] = {{96, 97, 96, 98, 95, 97, 101, 105, 110, 112, 106, 103},
                                 {97, 102, 103, 103, 88, 102, 104, 104, 90, 103, 103, 99}};
  constexpr int kWeekday[2][7] = {{110, 103, 101, 101, 102, 86, 82},
                                  {106, 104, 103, 103, 98, 12, 8}};
  constexpr std::string_view kHolidays[] = {
      "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
      "2023-08-28", "2023-12-25", "2023-12-26", "2024-01-01", "2024-03-29"};
  std::array<std::vector<int>, 2> w;
  for (int mo = 0, day = 0; mo < 12; ++mo) {
    for (int d = 1; d <= kDays[mo]; ++d, ++day) {
      const std::string date = iso_date(mo < 9 ? 2023 : 2024, (mo + 3) % 12 + 1, d);
      const bool holiday = std::find(std::begin(kHolidays), std::end(kHolidays), date) !=
                           std::end(kHolidays);
      const int weekday = holiday ? 6 : (day + 5) % 7;  // Monday 0; 2023-04-01 was a Saturday
      for (int e = 0; e < 2; ++e) w[e].push_back(kMonth[e][mo] * kWeekday[e][weekday]);
      m.dates.push_back(date);
    }
  }
  m.date = {Sampler(w[0]), Sampler(w[1])};
}

// A same-day share by method, then a mixture of a short geometric stay and a long one whose
// mean and share grow with age: most stays are short, a few old patients stay for months.
Sampler build_stay(int method, int band) {
  // Per mille: same-day share, P(one more day) in the short part, long part's share of stays.
  constexpr std::uint64_t kSameDay[kMethods] = {620, 150, 300, 50};
  constexpr std::uint64_t kShortKeep[kMethods] = {500, 600, 450, 750};  // P(one more day)
  constexpr std::uint64_t kLongMean[kBands] = {6, 4, 4, 6, 8, 12, 17, 24};
  constexpr std::uint64_t kLongShare[kBands] = {150, 80, 80, 100, 150, 250, 350, 500};
  const std::uint64_t same = kSameDay[method], short_keep = kShortKeep[method];
  const std::uint64_t share =
      method == kMaternity ? 60 : kLongShare[band] / (method == kElective ? 2 : 1);
  const std::uint64_t long_keep = 1000 - 1000 / kLongMean[band];
  constexpr std::uint64_t kScale = 1'000'000;  // the weights sum to about kScale * 1000
  std::vector<std::uint64_t> w{kScale * same};
  std::uint64_t s = kScale * (1000 - same) * (1000 - share) / 1000 * (1000 - short_keep) / 1000;
  std::uint64_t l = kScale * (1000 - same) * share / 1000 * (1000 - long_keep) / 1000;
  for (int day = 1; day <= 365 && s + l > 0; ++day) {
    w.push_back(s + l);
    s = s * short_keep / 1000;
    l = l * long_keep / 1000;
  }
  return Sampler(w);
}

Model build_model() {
  Model m;
  build_people(m);
  build_places(m);
  build_care(m);
  build_dates(m);
  for (int k = 0; k < kMethods; ++k) {
    for (int b = 0; b < kBands; ++b) m.stay[k * kBands + b] = build_stay(k, b);
  }
  return m;
}

// ---- Drawing ---------------------------------------------------------------------------------

struct Episodes {
  std::vector<double> age, stay;
  std::vector<std::int32_t> sex, ethnic, district, date, chapter, provider, method;
};

// Order of draws: who (age, sex, home), then what (chapter, method), then when, where, how long.
Episodes draw(const Model& m, std::size_t rows, Engine& rng) {
  Episodes e;
  for (auto* v : {&e.sex, &e.ethnic, &e.district, &e.date, &e.chapter, &e.provider, &e.method}) {
    v->resize(rows);
  }
  e.age.resize(rows);
  e.stay.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int32_t age = m.age(rng);
    const int band = m.band[age];
    const std::int32_t sex = m.sex[band](rng);
    const std::int32_t district = m.district(rng);
    const int area = m.district_area[district];
    const std::int32_t ethnic = m.ethnic[kAreas[area].profile](rng);
    const bool may_be_pregnant = sex == 0 && (band == 3 || band == 4);
    const std::int32_t chapter = m.chapter[2 * band + may_be_pregnant](rng);
    const int rule = chapter == kPerinatal && age > 0 ? kChapters : chapter;
    const std::int32_t method = m.method[rule](rng);
    e.age[i] = age;
    e.sex[i] = sex;
    e.ethnic[i] = ethnic;
    e.district[i] = district;
    e.date[i] = m.date[method == kElective](rng);
    e.chapter[i] = chapter;
    e.provider[i] = m.provider[area](rng);
    e.method[i] = method;
    e.stay[i] = m.stay[method * kBands + band](rng);
  }
  return e;
}

template <class Names>
std::vector<std::string> strings(const Names& names) {
  return std::vector<std::string>(std::begin(names), std::end(names));
}

// "E0000001", ...: seven digits, more if the table needs them. Written in place, as this is
// the one column with a string per row.
Column episode_ids(std::size_t rows) {
  const std::size_t width = std::max<std::size_t>(7, std::to_string(rows).size());
  std::vector<std::string> ids(rows, std::string(width + 1, '0'));
  std::vector<std::int32_t> codes(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    ids[i][0] = 'E';
    for (std::size_t n = i + 1, k = width; n > 0; n /= 10, --k) ids[i][k] = char('0' + n % 10);
    codes[i] = static_cast<std::int32_t>(i);
  }
  // Distinct by construction (sequence numbers); checking 10M ids would dominate the run time.
  return detail::ColumnAccess::categorical_trusted("episode_id", std::move(codes), std::move(ids));
}

// ---- A&E -------------------------------------------------------------------------------------

// About Binomial(n, per_mille / 1000): exact Bernoulli sums for small n, otherwise the mean
// plus a uniform jitter with the binomial's variance.
std::uint64_t binomial(std::uint64_t n, std::uint64_t per_mille, Engine& rng) {
  if (n < 64) {
    std::uint64_t k = 0;
    for (std::uint64_t t = 0; t < n; ++t) k += below(rng(), 1000) < per_mille;
    return k;
  }
  const auto spread = static_cast<std::uint64_t>(
      std::sqrt(static_cast<double>(3 * n * per_mille * (1000 - per_mille) / 1'000'000)));
  const std::uint64_t k = n * per_mille / 1000 + below(rng(), 2 * spread + 1);
  return std::min(n, k > spread ? k - spread : 0);
}

struct Department {
  std::uint64_t base, breach, admit;  // attendances a month; per-mille breach and admit rates
};

// Which of type 1, type 2 and "other" a provider runs, with shares (per mille) taken from the
// published 2016-19 data: acute trusts run type 1, most with an urgent treatment centre, some
// with an eye or dental unit; other providers mostly run a single "other" unit.
std::array<Department, 3> departments(bool acute, Engine& rng) {
  constexpr bool kRuns[7][3] = {{1, 0, 1}, {1, 1, 1}, {1, 0, 0}, {1, 1, 0},
                                {0, 0, 1}, {0, 1, 0}, {0, 1, 1}};
  const std::int32_t pattern = acute ? Sampler(std::array{630, 220, 135, 15, 0, 0, 0})(rng)
                                     : Sampler(std::array{0, 0, 0, 0, 940, 30, 30})(rng);
  const auto size = [&](std::uint64_t tiny_one_in, std::uint64_t lo, std::uint64_t span) {
    return below(rng(), tiny_one_in) == 0 ? 1 + below(rng(), 15) : lo + below(rng(), span);
  };
  std::array<Department, 3> d{};
  if (kRuns[pattern][0]) {
    d[0] = {3000 + below(rng(), 12000), 250 + below(rng(), 200), 240 + below(rng(), 80)};
  }
  if (kRuns[pattern][1]) d[1] = {size(6, 150, 2500), 2 + below(rng(), 25), below(rng(), 50)};
  if (kRuns[pattern][2]) d[2] = {size(10, 300, 7000), 1 + below(rng(), 15), below(rng(), 12)};
  return d;
}

struct AeRows {
  std::vector<std::int32_t> period, org, type;
  std::vector<double> attendances, breaches, admissions;
};

// One month's rows: one per department a provider runs. Tiny units (base under 20) vary
// around their base; others follow the season with a few per cent of noise.
void draw_month(std::size_t month, const std::vector<std::array<Department, 3>>& depts,
                Engine& rng, AeRows& out) {
  // Attendances peak in early summer; the four-hour standard is missed most in winter.
  constexpr std::uint64_t kSeason[12] = {100, 104, 106, 106, 100, 101, 101, 99, 98, 95, 94, 103};
  constexpr std::uint64_t kPressure[12] = {95, 90, 92, 95, 95, 100, 105, 110, 120, 118, 108, 100};
  const std::size_t m = month % 12;
  for (std::size_t p = 0; p < depts.size(); ++p) {
    for (std::size_t k = 0; k < 3; ++k) {
      const Department& d = depts[p][k];
      if (d.base == 0) continue;  // no department of this type
      const std::uint64_t n = d.base < 20
                                  ? below(rng(), 2 * d.base + 1)
                                  : d.base * kSeason[m] * (950 + below(rng(), 101)) / 100'000;
      const std::uint64_t breach_rate = std::min<std::uint64_t>(900, d.breach * kPressure[m] / 100);
      out.period.push_back(static_cast<std::int32_t>(month));
      out.org.push_back(static_cast<std::int32_t>(p));
      out.type.push_back(static_cast<std::int32_t>(k));
      out.attendances.push_back(static_cast<double>(n));
      out.breaches.push_back(static_cast<double>(binomial(n, breach_rate, rng)));
      out.admissions.push_back(static_cast<double>(binomial(n, d.admit, rng)));
    }
  }
}

}  // namespace

Table hospital_episodes(std::size_t rows, std::uint64_t seed) {
  if (rows == 0) throw InvalidArgument("hospital_episodes: rows must be at least 1");
  if (rows >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw InvalidArgument("hospital_episodes: at most 2^31-2 rows");
  }
  const Model m = build_model();
  Engine rng(seed);
  Episodes e = draw(m, rows, rng);
  std::vector<std::string> ethnic;
  for (const auto& [head, name] : kEthnicGroups) {
    ethnic.push_back(std::string(kEthnicHeads[head]).append(": ").append(name));
  }
  ethnic.emplace_back("Not stated");
  std::vector<std::string> providers;
  for (const auto& p : kProviders) providers.emplace_back(p.code);
  Table t;
  t.add_column(episode_ids(rows));
  t.add_column(Column::numeric("age", std::move(e.age)));
  t.add_column(Column::categorical("sex", std::move(e.sex), strings(kSexes)));
  t.add_column(Column::categorical("ethnic_group", std::move(e.ethnic), std::move(ethnic)));
  t.add_column(Column::categorical("postcode_district", std::move(e.district), m.districts));
  t.add_column(Column::categorical("admission_date", std::move(e.date), m.dates));
  t.add_column(
      Column::categorical("diagnosis_chapter", std::move(e.chapter), strings(kChapterNames)));
  t.add_column(Column::categorical("provider", std::move(e.provider), std::move(providers)));
  t.add_column(Column::categorical("admission_method", std::move(e.method), strings(kMethodNames)));
  t.add_column(Column::numeric("length_of_stay", std::move(e.stay)));
  return t;
}

Table ae_attendances(std::size_t providers, std::size_t months, std::uint64_t seed) {
  if (providers == 0) throw InvalidArgument("ae_attendances: providers must be at least 1");
  if (months == 0) throw InvalidArgument("ae_attendances: months must be at least 1");
  if (providers > 1'000'000 || months > 1200) {
    throw InvalidArgument("ae_attendances: at most 1000000 providers and 1200 months");
  }
  Engine rng(seed);
  std::vector<std::array<Department, 3>> depts(providers);
  std::vector<std::string> orgs, periods;
  for (std::size_t p = 0; p < providers; ++p) {
    const bool acute = p < std::size(kProviders);  // the trusts of the episode table first
    depts[p] = departments(acute, rng);
    orgs.emplace_back(acute ? kProviders[p].code : "N");  // N: independent-sector style
    if (!acute) orgs.back() += std::to_string(p);
  }
  AeRows rows;
  for (std::size_t mo = 0; mo < months; ++mo) {
    const int since = static_cast<int>(mo) + 3;  // months since January 2023
    periods.push_back(iso_date(2023 + since / 12, since % 12 + 1, 1));
    draw_month(mo, depts, rng, rows);
  }
  Table t;
  t.add_column(Column::categorical("period", std::move(rows.period), std::move(periods)));
  t.add_column(Column::categorical("org_code", std::move(rows.org), std::move(orgs)));
  t.add_column(Column::categorical("type", std::move(rows.type), {"1", "2", "other"}));
  t.add_column(Column::numeric("attendances", std::move(rows.attendances)));
  t.add_column(Column::numeric("breaches", std::move(rows.breaches)));
  t.add_column(Column::numeric("admissions", std::move(rows.admissions)));
  return t;
}

}  // namespace sdcore::synth
