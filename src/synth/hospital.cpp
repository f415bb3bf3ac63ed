// Seeded synthetic hospital episodes and A&E counts (see synth.hpp).
//
// Every probability here is an integer weight, and every draw maps raw std::mt19937_64 output
// to an index with integer arithmetic (one std::sqrt, correctly rounded by IEEE 754, is the
// only floating point). So no libm difference or floating-point contraction on another
// platform or compiler can change a single value.
//
// The "world" (postcode districts, their sizes, the providers serving them) is fixed; the seed
// only decides which patients and months are drawn from it, so tables from different seeds are
// comparable.

#include "sdcore/synth.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sdcore/error.hpp"

namespace sdcore::synth {
namespace {

using Engine = std::mt19937_64;

// Uniform in [0, n) for n <= 2^32 by multiply-shift of the top 32 bits. The bias (n / 2^32)
// is far below anything these data could show, and unlike rejection it costs one draw.
std::uint64_t below(std::uint64_t raw, std::uint64_t n) { return ((raw >> 32) * n) >> 32; }

// Index drawn with probability proportional to integer weights (total at most 2^32):
// cumulative sums and a binary search; zero weights are never drawn.
class Sampler {
 public:
  Sampler() = default;
  template <class Range>
  explicit Sampler(const Range& weights) {
    std::uint64_t total = 0;
    for (auto w : weights) cum_.push_back(total += static_cast<std::uint64_t>(w));
    if (total == 0 || total > (std::uint64_t{1} << 32)) throw Error("synth: bad weight table");
  }
  std::int32_t operator()(Engine& rng) const {
    const std::uint64_t r = below(rng(), cum_.back());
    return static_cast<std::int32_t>(std::upper_bound(cum_.begin(), cum_.end(), r) - cum_.begin());
  }

 private:
  std::vector<std::uint64_t> cum_;
};

// ---- The world: fixed lists with England-like shares -------------------------------------

constexpr int kMaxAge = 105;
constexpr int kBands = 8;  // age bands 0, 1-4, 5-14, 15-29, 30-49, 50-64, 65-79, 80+
constexpr int kBandTop[kBands - 1] = {0, 4, 14, 29, 49, 64, 79};
constexpr int kProfiles = 3;  // ethnicity profile of an area: rest of England, London, BD/B
constexpr int kEthnic = 20;
constexpr int kChapters = 22;
constexpr int kPerinatal = 15;  // index of chapter XVI; XV (pregnancy) is 14
enum Method { kElective, kEmergency, kMaternity, kTransfer, kMethods };

constexpr std::string_view kSexes[] = {"Female", "Male", "Indeterminate", "Not known"};
constexpr std::string_view kMethodNames[] = {"Elective", "Emergency", "Maternity", "Transfer"};
constexpr std::string_view kChapterNames[kChapters] = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
    "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"};

// Admissions per year of age (relative), linear between anchors: births at 0, a peak at 75.
constexpr std::pair<int, int> kAgeAnchors[] = {
    {0, 8000},   {1, 1200},   {5, 700},    {10, 600},   {15, 800},   {20, 1100},
    {25, 1400},  {30, 1600},  {35, 1400},  {40, 1200},  {45, 1300},  {50, 1500},
    {55, 1700},  {60, 1900},  {65, 2200},  {70, 2600},  {75, 2800},  {80, 2700},
    {85, 2200},  {90, 1200},  {95, 400},   {100, 80},   {105, 5}};

// Female share per 10000 by age band (maternity at 15-49, longevity at 80+); Indeterminate and
// Not known take 5 each.
constexpr int kFemale[kBands] = {4870, 4400, 4600, 6200, 5900, 4800, 4700, 5600};

// ONS 2021 census groups (TS021), per mille of those stated, by area profile.
constexpr std::string_view kEthnicNames[kEthnic] = {
    "White: English, Welsh, Scottish, Northern Irish or British", "White: Irish",
    "White: Gypsy or Irish Traveller", "White: Roma", "White: Other White",
    "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "Asian, Asian British or Asian Welsh: Indian", "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese",
    "Asian, Asian British or Asian Welsh: Other Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Other ethnic group: Arab", "Other ethnic group: Any other ethnic group", "Not stated"};
constexpr int kEthnicShare[kProfiles][kEthnic - 1] = {
    {835, 7, 1, 2, 38, 8, 3, 7, 6, 19, 20, 4, 6, 10, 14, 5, 2, 4, 9},
    {368, 18, 1, 4, 147, 15, 8, 15, 19, 75, 33, 37, 17, 46, 79, 39, 17, 16, 46},
    {520, 5, 2, 4, 40, 15, 3, 12, 7, 40, 200, 22, 4, 18, 30, 25, 8, 10, 35}};
constexpr int kNotStatedPerMille = 50;

// Postcode areas with their districts ("a-b" ranges or literal suffixes), relative size and
// ethnicity profile.
struct Area {
  std::string_view prefix, districts;
  int weight, profile;
};
constexpr Area kAreas[] = {
    {"LS", "1-29", 10, 0},  {"BD", "1-24", 4, 2},
    {"M", "1-9,11-35,38,40,41,43-46,50,90", 12, 0},
    {"SK", "1-17,22,23", 6, 0},
    {"B", "1-50,60-80,90-98", 5, 2},
    {"NG", "1-25,31-34", 8, 0},
    {"S", "1-14,17,18,20,21,25,26,32,33,35,36,40-45,60-66,70-75,80,81", 9, 0},
    {"NE", "1-13,15-49,61-71", 9, 0},
    {"L", "1-40", 9, 0},
    {"BS", "1-16,20-32,34-37,39-41,48,49", 8, 0},
    {"E", "1-18,1W,20", 4, 1},  {"N", "1-22,1C", 4, 1},  {"SE", "1-28", 5, 1},
    {"SW", "1A,1E,1H,1P,1V,1W,1X,1Y,2-20", 5, 1}};
constexpr int kAreaCount = static_cast<int>(std::size(kAreas));

// Trust-style provider codes, the area each serves and a relative size.
struct Provider {
  std::string_view code;
  int area, size;
};
constexpr Provider kProviders[] = {
    {"RR8", 0, 10}, {"RXF", 0, 6},  {"RAE", 1, 8},  {"RCF", 1, 4},  {"R0A", 2, 10},
    {"RM3", 2, 8},  {"RWJ", 3, 6},  {"RMP", 3, 4},  {"RRK", 4, 10}, {"RXK", 4, 6},
    {"RNA", 4, 5},  {"RX1", 5, 10}, {"RK5", 5, 5},  {"RHQ", 6, 10}, {"RFR", 6, 4},
    {"RP5", 6, 5},  {"RFF", 6, 4},  {"RTD", 7, 10}, {"RTF", 7, 7},  {"RR7", 7, 4},
    {"R0B", 7, 6},  {"REM", 8, 10}, {"RVY", 8, 4},  {"RBN", 8, 5},  {"RBL", 8, 5},
    {"RA7", 9, 8},  {"RVJ", 9, 7},  {"R1H", 10, 10}, {"RQX", 10, 4}, {"RF4", 10, 7},
    {"RAP", 11, 5}, {"RAL", 11, 8}, {"RKE", 11, 4}, {"RJ1", 12, 10}, {"RJZ", 12, 8},
    {"RJ2", 12, 6}, {"RJ7", 13, 8}, {"RYJ", 13, 9}, {"RQM", 13, 6}, {"RAX", 13, 4}};
constexpr int kProviderCount = static_cast<int>(std::size(kProviders));
constexpr int kHomePerMille = 920;  // the rest are referred or travel elsewhere

// Primary-diagnosis chapter weights by age band; XV only for women of 15-49 (filtered below).
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

// Share of planned admissions per chapter (per mille): eye, cancer, Z-code care mostly elective.
constexpr int kElectiveShare[kChapters] = {100, 800, 600, 350, 150, 400, 900, 600, 350, 100, 550,
                                      450, 700, 500, 0,   0,   600, 200, 100, 100, 850, 50};

// ---- Building the samplers ---------------------------------------------------------------

// "1-3,1W" -> {"1", "2", "3", "1W"}
std::vector<std::string> expand(std::string_view spec) {
  std::vector<std::string> out;
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      out.emplace_back(item);
      continue;
    }
    int lo = 0, hi = 0;
    std::from_chars(item.data(), item.data() + dash, lo);
    std::from_chars(item.data() + dash + 1, item.data() + item.size(), hi);
    for (int n = lo; n <= hi; ++n) out.push_back(std::to_string(n));
  }
  return out;
}

std::string iso_date(int year, int month, int day) {
  std::string s = "0000-00-00";
  auto put = [&](std::size_t at, int v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) s[at + static_cast<std::size_t>(k)] = char('0' + v % 10);
  };
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  return s;
}

struct Model {
  Sampler age;
  std::array<int, kMaxAge + 1> band{};
  std::array<Sampler, kBands> sex;
  std::vector<std::string> districts;
  std::vector<int> district_area;
  Sampler district;
  std::array<Sampler, kProfiles> ethnic;
  std::array<Sampler, 2 * kBands> chapter;  // [band][may be pregnant]
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
    for (int a = a0; a <= a1; ++a) w[static_cast<std::size_t>(a)] = w0 + (w1 - w0) * (a - a0) / (a1 - a0);
  }
  m.age = Sampler(w);
  for (int a = 0, b = 0; a <= kMaxAge; ++a) {
    while (b < kBands - 1 && a > kBandTop[b]) ++b;
    m.band[static_cast<std::size_t>(a)] = b;
  }
  for (int b = 0; b < kBands; ++b) m.sex[b] = Sampler(std::array{kFemale[b], 9990 - kFemale[b], 5, 5});
  for (int p = 0; p < kProfiles; ++p) {
    std::vector<int> e;
    for (int share : kEthnicShare[p]) e.push_back(share * (1000 - kNotStatedPerMille));
    e.push_back(kNotStatedPerMille * 1000);
    m.ethnic[p] = Sampler(e);
  }
}

// District sizes fall off like 1/(rank + 3) within an area (Zipf-like, flattened at the top);
// the ranks are a fixed shuffle so that LS1 is not always the largest.
void build_places(Model& m) {
  Engine world(20231);
  std::vector<std::uint64_t> w;
  for (int a = 0; a < kAreaCount; ++a) {
    const auto suffixes = expand(kAreas[a].districts);
    std::vector<std::uint64_t> rank(suffixes.size());
    for (std::size_t k = 0; k < rank.size(); ++k) rank[k] = k;
    for (std::size_t k = rank.size(); k > 1; --k) std::swap(rank[k - 1], rank[below(world(), k)]);
    for (std::size_t k = 0; k < suffixes.size(); ++k) {
      m.districts.push_back(std::string(kAreas[a].prefix) + suffixes[k]);
      m.district_area.push_back(a);
      w.push_back(static_cast<std::uint64_t>(kAreas[a].weight) * 100000 / (rank[k] + 3));
    }
  }
  m.district = Sampler(w);
  std::array<int, kAreaCount> home_size{};
  int all = 0;
  for (const auto& p : kProviders) home_size[static_cast<std::size_t>(p.area)] += p.size, all += p.size;
  for (int a = 0; a < kAreaCount; ++a) {
    const int home = home_size[static_cast<std::size_t>(a)], away = all - home;
    std::vector<int> pw;  // home providers share kHomePerMille in proportion to size
    for (const auto& p : kProviders) {
      pw.push_back(p.area == a ? kHomePerMille * p.size * away : (1000 - kHomePerMille) * p.size * home);
    }
    m.provider[static_cast<std::size_t>(a)] = Sampler(pw);
  }
}

void build_care(Model& m) {
  for (int b = 0; b < kBands; ++b) {
    for (int pregnant = 0; pregnant < 2; ++pregnant) {
      std::vector<int> w;
      for (int c = 0; c < kChapters; ++c) w.push_back(c == 14 && !pregnant ? 0 : kChapterWeight[c][b]);
      m.chapter[static_cast<std::size_t>(2 * b + pregnant)] = Sampler(w);
    }
  }
  constexpr int kTransfer = 15;  // per mille, any chapter
  for (int c = 0; c < kChapters; ++c) {
    const int elective = kElectiveShare[c] * (1000 - kTransfer) / 1000;
    m.method[static_cast<std::size_t>(c)] = Sampler(std::array{elective, 1000 - kTransfer - elective, 0, kTransfer});
  }
  m.method[14] = Sampler(std::array{50, 150, 790, 10});  // pregnancy and childbirth
  m.method[kPerinatal] = Sampler(std::array{0, 250, 720, 30});  // births
  m.method[kChapters] = Sampler(std::array{300, 680, 0, 20});
}

// Weekday and month factors: planned work stops at weekends and bank holidays and dips in
// August and December; emergencies dip a little at weekends and rise in winter.
void build_dates(Model& m) {
  constexpr int kDays[12] = {30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29, 31};  // Apr 2023..
  constexpr int kMonth[2][12] = {{96, 97, 96, 98, 95, 97, 101, 105, 110, 112, 106, 103},
                                 {97, 102, 103, 103, 88, 102, 104, 104, 90, 103, 103, 99}};
  constexpr int kWeekday[2][7] = {{110, 103, 101, 101, 102, 86, 82}, {106, 104, 103, 103, 98, 12, 8}};
  constexpr std::string_view kHolidays[] = {"2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                                            "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26",
                                            "2024-01-01", "2024-03-29"};
  std::array<std::vector<int>, 2> w;
  for (int mo = 0, day = 0; mo < 12; ++mo) {
    for (int d = 1; d <= kDays[mo]; ++d, ++day) {
      m.dates.push_back(iso_date(mo < 9 ? 2023 : 2024, (mo + 3) % 12 + 1, d));
      const bool holiday = std::find(std::begin(kHolidays), std::end(kHolidays), m.dates.back()) !=
                           std::end(kHolidays);
      const int weekday = holiday ? 6 : (day + 5) % 7;  // 2023-04-01 was a Saturday
      for (int e = 0; e < 2; ++e) w[e].push_back(kMonth[e][mo] * kWeekday[e][weekday]);
    }
  }
  m.date[0] = Sampler(w[0]);
  m.date[1] = Sampler(w[1]);
}

// Same-day share by method, then a mixture of a short geometric stay and a long one whose
// mean and share grow with age: most stays are short, a few old patients stay for months.
Sampler build_stay(int method, int band) {
  constexpr int kSameDay[kMethods] = {620, 150, 300, 50};      // per mille
  constexpr int kShortKeep[kMethods] = {500, 600, 450, 750};   // P(stay another day), per mille
  constexpr int kLongMean[kBands] = {6, 4, 4, 6, 8, 12, 17, 24};
  constexpr int kLongShare[kBands] = {150, 80, 80, 100, 150, 250, 350, 500};  // of stays > 0
  const std::uint64_t same = static_cast<std::uint64_t>(kSameDay[method]);
  const std::uint64_t share = static_cast<std::uint64_t>(
      method == kMaternity ? 60 : kLongShare[band] / (method == kElective ? 2 : 1));
  const std::uint64_t short_keep = static_cast<std::uint64_t>(kShortKeep[method]);
  const std::uint64_t long_keep = 1000 - 1000 / static_cast<std::uint64_t>(kLongMean[band]);
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
    for (int b = 0; b < kBands; ++b) m.stay[static_cast<std::size_t>(k * kBands + b)] = build_stay(k, b);
  }
  return m;
}

// ---- Drawing -------------------------------------------------------------------------------

struct Episodes {
  std::vector<double> age, stay;
  std::vector<std::int32_t> sex, ethnic, district, date, chapter, provider, method;
};

Episodes draw(const Model& m, std::size_t rows, Engine& rng) {
  Episodes e;
  for (auto* v : {&e.sex, &e.ethnic, &e.district, &e.date, &e.chapter, &e.provider, &e.method}) v->resize(rows);
  e.age.resize(rows);
  e.stay.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int32_t age = m.age(rng);
    const int band = m.band[static_cast<std::size_t>(age)];
    const std::int32_t sex = m.sex[static_cast<std::size_t>(band)](rng);
    const std::int32_t district = m.district(rng);
    const auto area = static_cast<std::size_t>(m.district_area[static_cast<std::size_t>(district)]);
    const bool may_be_pregnant = sex == 0 && (band == 3 || band == 4);
    const std::int32_t chapter = m.chapter[static_cast<std::size_t>(2 * band + may_be_pregnant)](rng);
    const std::size_t rule = chapter == kPerinatal && age > 0 ? kChapters : static_cast<std::size_t>(chapter);
    const std::int32_t method = m.method[rule](rng);
    e.age[i] = age;
    e.sex[i] = sex;
    e.ethnic[i] = m.ethnic[static_cast<std::size_t>(kAreas[area].profile)](rng);
    e.district[i] = district;
    e.date[i] = m.date[method == kElective](rng);
    e.chapter[i] = chapter;
    e.provider[i] = m.provider[area](rng);
    e.method[i] = method;
    e.stay[i] = m.stay[static_cast<std::size_t>(method * kBands + band)](rng);
  }
  return e;
}

template <class Names>
std::vector<std::string> strings(const Names& names) {
  return std::vector<std::string>(std::begin(names), std::end(names));
}

// "E0000001", ...: seven digits, more if the table needs them.
Column episode_ids(std::size_t rows) {
  const std::size_t width = std::max<std::size_t>(7, std::to_string(rows).size());
  std::vector<std::string> ids(rows, std::string(width + 1, '0'));
  std::vector<std::int32_t> codes(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    ids[i][0] = 'E';
    for (std::size_t n = i + 1, k = width; n > 0; n /= 10, --k) ids[i][k] = char('0' + n % 10);
    codes[i] = static_cast<std::int32_t>(i);
  }
  return Column::categorical("episode_id", std::move(codes), std::move(ids));
}

// ---- A&E ---------------------------------------------------------------------------------

// Approximately Binomial(n, per_mille / 1000): exact Bernoulli sums for small n, otherwise the
// mean plus a uniform jitter with the binomial's variance (integer maths only).
std::uint64_t binomial(std::uint64_t n, std::uint64_t per_mille, Engine& rng) {
  if (n < 64) {
    std::uint64_t k = 0;
    for (std::uint64_t t = 0; t < n; ++t) k += below(rng(), 1000) < per_mille;
    return k;
  }
  const std::uint64_t mean = n * per_mille / 1000;
  const auto spread = static_cast<std::uint64_t>(
      std::sqrt(static_cast<double>(3 * n * per_mille * (1000 - per_mille) / 1'000'000)));
  const std::uint64_t k = mean + below(rng(), 2 * spread + 1);
  return std::min(n, k > spread ? k - spread : 0);
}

struct Department {
  std::uint64_t base, breach, admit;  // monthly attendances; per-mille breach and admit rates
};

// Types offered per provider, as in the published data: most trusts run a type 1 department
// with or without an urgent treatment centre ("other"); a few run only a specialist type 2
// (eye, dental) or only an "other" unit, some of them tiny.
std::array<Department, 3> departments(bool acute, Engine& rng) {
  const std::uint64_t kind = below(rng(), acute ? 750 : 1000);
  const bool t1 = kind < 750, t2 = (kind >= 700 && kind < 800), other = kind < 600 || kind >= 800;
  std::array<Department, 3> d{};
  if (t1) d[0] = {5000 + below(rng(), 15001), 250 + below(rng(), 200), 240 + below(rng(), 80)};
  if (t2) d[1] = {below(rng(), 2) ? 300 + below(rng(), 2200) : 1 + below(rng(), 4), 5 + below(rng(), 40),
                  below(rng(), 6)};
  if (other) d[2] = {below(rng(), 4) ? 800 + below(rng(), 7200) : 1 + below(rng(), 15),
                     5 + below(rng(), 60), below(rng(), 9)};
  return d;
}

std::vector<std::string> org_codes(std::size_t providers) {
  constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::vector<std::string> codes;
  for (std::size_t k = 0; k < providers && k < std::size(kProviders); ++k) codes.emplace_back(kProviders[k].code);
  for (std::uint64_t j = 0; codes.size() < providers; ++j) {
    std::string code;  // "R" + base-36 number, at least two digits
    for (std::uint64_t n = j; n > 0 || code.size() < 2; n /= 36) code.insert(code.begin(), kDigits[n % 36]);
    code.insert(code.begin(), 'R');
    const bool taken = std::any_of(std::begin(kProviders), std::end(kProviders),
                                   [&](const Provider& p) { return p.code == code; });
    if (!taken) codes.push_back(std::move(code));
  }
  return codes;
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
  Table t;
  t.add_column(episode_ids(rows));
  t.add_column(Column::numeric("age", std::move(e.age)));
  t.add_column(Column::categorical("sex", std::move(e.sex), strings(kSexes)));
  t.add_column(Column::categorical("ethnic_group", std::move(e.ethnic), strings(kEthnicNames)));
  t.add_column(Column::categorical("postcode_district", std::move(e.district), m.districts));
  t.add_column(Column::categorical("admission_date", std::move(e.date), m.dates));
  t.add_column(Column::categorical("diagnosis_chapter", std::move(e.chapter), strings(kChapterNames)));
  std::vector<std::string> providers;
  for (const auto& p : kProviders) providers.emplace_back(p.code);
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
  // Attendances peak in early summer; the four-hour standard is missed most in winter.
  constexpr int kSeason[12] = {100, 104, 106, 106, 100, 101, 101, 99, 98, 95, 94, 103};
  constexpr int kPressure[12] = {95, 90, 92, 95, 95, 100, 105, 110, 120, 118, 108, 100};
  Engine rng(seed);
  std::vector<std::array<Department, 3>> depts(providers);
  for (std::size_t p = 0; p < providers; ++p) depts[p] = departments(p < std::size(kProviders), rng);
  std::vector<std::int32_t> period, org, type;
  std::vector<double> att, breaches, admissions;
  for (std::size_t mo = 0; mo < months; ++mo) {
    for (std::size_t p = 0; p < providers; ++p) {
      for (std::size_t k = 0; k < 3; ++k) {
        const Department& d = depts[p][k];
        if (d.base == 0) continue;
        const std::uint64_t n = d.base < 20 ? below(rng(), 2 * d.base + 1)
                                            : d.base * kSeason[mo % 12] / 100 * (950 + below(rng(), 101)) / 1000;
        period.push_back(static_cast<std::int32_t>(mo));
        org.push_back(static_cast<std::int32_t>(p));
        type.push_back(static_cast<std::int32_t>(k));
        att.push_back(static_cast<double>(n));
        breaches.push_back(static_cast<double>(binomial(n, std::min<std::uint64_t>(900, d.breach * kPressure[mo % 12] / 100), rng)));
        admissions.push_back(static_cast<double>(binomial(n, d.admit, rng)));
      }
    }
  }
  std::vector<std::string> periods;
  for (std::size_t mo = 0; mo < months; ++mo) {
    const std::size_t m = mo + 3;  // months since January 2023
    periods.push_back(iso_date(2023 + static_cast<int>(m / 12), static_cast<int>(m % 12) + 1, 1));
  }
  Table t;
  t.add_column(Column::categorical("period", std::move(period), std::move(periods)));
  t.add_column(Column::categorical("org_code", std::move(org), org_codes(providers)));
  t.add_column(Column::categorical("type", std::move(type), {"1", "2", "other"}));
  t.add_column(Column::numeric("attendances", std::move(att)));
  t.add_column(Column::numeric("breaches", std::move(breaches)));
  t.add_column(Column::numeric("admissions", std::move(admissions)));
  return t;
}

}  // namespace sdcore::synth
