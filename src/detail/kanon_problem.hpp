#pragma once
// The anonymisation problem in encoded form, shared by the lattice search, the privacy models and
// the quality models (see kanon.hpp). Records are first reduced to "cells": distinct combinations
// of quasi-identifier labels (at some transformation) and sensitive values, with their record
// counts. A coarser transformation's cells are computed from a finer one's by mapping labels up
// the hierarchies and merging ("roll-up"), never by rescanning the records.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/kanon.hpp"

namespace sdcore::detail {

// One quasi-identifier. Values are the hierarchy's rows (0 .. domain-1) plus, when the data have
// missing values, one extra value `domain` that stays missing at every level.
struct EncodedQi {
  std::string column;
  std::size_t min_level = 0;
  std::size_t max_level = 0;  // inclusive, clamped to the top
  std::size_t domain = 0;     // rows of the hierarchy
  std::size_t height = 0;     // levels - 1
  bool has_missing = false;
  std::vector<std::vector<std::int32_t>> up;       // [level][value] -> label id
  std::vector<std::vector<std::int32_t>> rep;      // [level][label] -> one value with that label
  std::vector<std::vector<std::int64_t>> leaves;   // [level][label] -> hierarchy values under it
  std::vector<std::vector<std::string>> text;      // [level][label]
  std::vector<std::int32_t> row_value;             // per record
  std::vector<std::int64_t> leaf_total;            // [level] sum over records of leaves(label)
  std::vector<double> entropy;                     // [level] non-uniform entropy of the column

  std::int32_t labels(std::size_t level) const { return static_cast<std::int32_t>(rep[level].size()); }
  // Label at `to` of a label at `from` (from <= to).
  std::int32_t lift(std::int32_t label, std::size_t from, std::size_t to) const {
    return from == to ? label : up[to][static_cast<std::size_t>(rep[from][static_cast<std::size_t>(label)])];
  }
};

// One sensitive column with the models that concern it. Codes 0 .. cardinality-1; a missing
// value is a value of its own (the last code) when present.
struct EncodedSensitive {
  std::string column;
  std::vector<std::int32_t> row_code;
  std::int32_t cardinality = 0;
  std::vector<LDiversity> l_diversity;
  std::vector<TCloseness> t_closeness;
  std::vector<double> global;               // distribution over codes in the whole table
  std::vector<std::int32_t> rank;           // ordered distance: position of each code
  // Hierarchical distance: label of each code at each level of the sensitive hierarchy.
  std::vector<std::vector<std::int32_t>> tree;  // [level][code]
  std::vector<std::int32_t> tree_labels;        // [level] number of labels
};

struct Problem {
  std::size_t rows = 0;                   // rows of the table
  std::int64_t records = 0;               // records they stand for (sum of row_count)
  std::vector<std::int64_t> row_count;    // per row: records (1 each without a frequency column)
  std::vector<EncodedQi> qis;
  std::vector<EncodedSensitive> sensitive;
  std::vector<std::vector<std::int32_t>> population_value;  // [qi][population record]
  std::int64_t k = 1;                 // effective: max(k, ceil(1 / max_risk))
  std::int64_t k_map = 0;
  double average_risk = 1;
  std::int64_t max_suppressed = 0;    // floor(limit * rows)
  QualityModel quality = QualityModel::kLoss;
  Aggregate aggregate = Aggregate::kGeometricMean;
  double g_factor = 1;                // ARX's generalisation and suppression factors
  double s_factor = 1;
};

// Cells of one transformation, column-major.
struct Cells {
  std::vector<std::vector<std::int32_t>> qi;    // [qi][cell] label at the transformation
  std::vector<std::vector<std::int32_t>> sens;  // [sensitive][cell]
  std::vector<std::int64_t> count;              // records of the table
  std::vector<std::int64_t> pop;                // records of the population (k-map only)
  std::size_t size() const { return count.size(); }
};

using Levels = std::vector<std::size_t>;

// Validates the inputs and encodes them (kanon.cpp).
Problem encode_problem(const Table& table, const std::vector<QuasiIdentifier>& qis, const AnonymiseOptions& opt);
// Cells of the records at level 0 of every quasi-identifier. Large inputs are grouped in two
// halves, on two threads if `threads` > 1; the cells do not depend on `threads`.
Cells base_cells(const Problem& p, std::size_t threads = 1);
// Cells at `to` from cells at `from` (from <= to in every quasi-identifier); threads as above.
Cells roll_up(const Problem& p, const Cells& cells, const Levels& from, const Levels& to, std::size_t threads = 1);

// Equivalence classes of a transformation's cells and which of them fail the class-level
// privacy models (kanon_models.cpp).
struct ClassVerdict {
  std::vector<std::int32_t> cell_class;  // class of each cell
  std::vector<std::int64_t> count;       // records per class (0 for population-only classes)
  std::vector<std::uint8_t> outlier;     // 1 if the class fails a model (its records are suppressed)
};
// `distinct` says the cells' quasi-identifier keys are already distinct when there are no
// sensitive attributes (true for rolled-up cells, false for one cell per record).
ClassVerdict judge_classes(const Problem& p, const Cells& cells, bool distinct = true);

// Quality of a judged transformation (kanon_quality.cpp). Fills levels-independent fields of q:
// score, lower_bound, per_attribute, plus the counts (suppressed, classes, sizes, risk, anonymous).
// Unless `full`, the score of a transformation that is not anonymous is left NaN.
void assess(const Problem& p, const Levels& levels, const Cells& cells, const ClassVerdict& v,
            TransformationQuality& q, bool full = true);
// Lower bound of the score that depends on the levels only (-infinity when the model's bound
// needs the classes).
double level_lower_bound(const Problem& p, const Levels& levels);

// The optimal transformation (kanon_search.cpp): levels visited bottom-up by height, each
// evaluated from the cells of a predecessor, pruned when the bound reaches the best score found.
struct SearchOutcome {
  bool found = false;
  TransformationQuality best;
  std::uint64_t lattice_size = 0;
  std::uint64_t evaluated = 0;
};
SearchOutcome search_lattice(const Problem& p, std::size_t threads, const ProgressCallback& progress,
                             std::uint64_t max_lattice_size);

// Earth mover's distances of t-closeness (kanon_models.cpp); `p` and `q` are distributions
// over codes.
double emd_equal(const std::vector<double>& p, const std::vector<double>& q);
double emd_ordered(const std::vector<double>& p, const std::vector<double>& q, const std::vector<std::int32_t>& rank);
double emd_hierarchical(const std::vector<double>& p, const std::vector<double>& q,
                        const std::vector<std::vector<std::int32_t>>& tree, const std::vector<std::int32_t>& tree_labels);

}  // namespace sdcore::detail
