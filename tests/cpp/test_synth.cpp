// The synthetic generators keep the contract in synth.hpp, are reproducible from the seed, and
// the example files bundled in examples/data are exactly what the generator writes today.

#include <gtest/gtest.h>

#include <set>

#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/synth.hpp"
#include "test_support.hpp"

using namespace sdcore;

TEST(SynthHospital, ColumnsInDocumentedOrder) {
  const Table t = synth::hospital_episodes(2000, 1);
  const std::vector<std::string> names = {"episode_id", "age", "sex", "ethnic_group",
                                          "postcode_district", "admission_date", "diagnosis_chapter",
                                          "provider", "admission_method", "length_of_stay"};
  ASSERT_EQ(t.num_columns(), names.size());
  for (std::size_t j = 0; j < names.size(); ++j) EXPECT_EQ(t.column(j).name(), names[j]);
  EXPECT_EQ(t.num_rows(), 2000u);
  EXPECT_FALSE(t.column("age").is_categorical());
  EXPECT_FALSE(t.column("length_of_stay").is_categorical());
  for (double a : t.column("age").values()) ASSERT_TRUE(a >= 0 && a <= 105 && a == static_cast<int>(a));
  for (double l : t.column("length_of_stay").values()) ASSERT_TRUE(l >= 0 && l == static_cast<int>(l));
  const std::set<std::string> sexes(t.column("sex").categories().begin(), t.column("sex").categories().end());
  for (const auto& s : sexes) {
    EXPECT_TRUE(s == "Female" || s == "Male" || s == "Indeterminate" || s == "Not known") << s;
  }
  // Every episode id is distinct: it is an identifier.
  const auto ids = equivalence_classes(t, {"episode_id"});
  EXPECT_EQ(ids.num_classes(), t.num_rows());
}

TEST(SynthHospital, SameSeedSameTableOtherSeedOther) {
  const auto a = write_csv_text(synth::hospital_episodes(5000, 7));
  EXPECT_EQ(a, write_csv_text(synth::hospital_episodes(5000, 7)));
  EXPECT_NE(a, write_csv_text(synth::hospital_episodes(5000, 8)));
}

TEST(SynthHospital, HasRareCombinations) {
  // The point of the data: on age, sex, ethnic group and district many records are unique.
  const Table t = synth::hospital_episodes(20000, 3);
  const auto ec = equivalence_classes(t, {"age", "sex", "ethnic_group", "postcode_district"});
  std::size_t uniques = 0;
  for (auto f : ec.frequency) uniques += f == 1;
  EXPECT_GT(uniques, 100u);
  EXPECT_LT(ec.num_classes(), t.num_rows());
}

TEST(SynthHospital, BadArguments) { EXPECT_THROW(synth::hospital_episodes(0, 1), InvalidArgument); }

TEST(SynthAe, CountsAreConsistent) {
  const Table t = synth::ae_attendances(30, 6, 1);
  const auto att = t.column("attendances").values();
  const auto br = t.column("breaches").values();
  const auto adm = t.column("admissions").values();
  std::size_t small = 0;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    ASSERT_GE(br[i], 0);
    ASSERT_LE(br[i], att[i]);
    ASSERT_LE(adm[i], att[i]);
    small += att[i] >= 1 && att[i] <= 7;
    small += br[i] >= 1 && br[i] <= 7;
  }
  EXPECT_GT(small, 0u) << "small counts are what suppression rules are about";
  const std::set<std::string> types(t.column("type").categories().begin(), t.column("type").categories().end());
  EXPECT_EQ(types, (std::set<std::string>{"1", "2", "other"}));
  EXPECT_THROW(synth::ae_attendances(0, 1, 1), InvalidArgument);
  EXPECT_THROW(synth::ae_attendances(1, 0, 1), InvalidArgument);
}

TEST(SynthBundled, ExampleFilesMatchTheGenerator) {
  // examples/data/README.md gives the commands that made these files.
  const std::string dir = std::string(SDCORE_TEST_DATA) + "/../../examples/data/";
  EXPECT_EQ(test::read_text(dir + "hospital_episodes.csv"),
            write_csv_text(synth::hospital_episodes(20000, 2026)));
  EXPECT_EQ(test::read_text(dir + "ae_attendances.csv"), write_csv_text(synth::ae_attendances(40, 12, 2026)));
}
