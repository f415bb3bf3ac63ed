#pragma once
// Exact SUDA weights. Factorial weights pass 2^64 from 21 keys on, so they are kept as
// Boost.Multiprecision integers (a numerator per MSU size over a common denominator) and rounded
// to double once, at the end. Private to the library: public headers do not need Boost.

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sdcore/suda.hpp"

namespace sdcore::detail {

using BigInt = boost::multiprecision::cpp_int;

// The weight of an MSU of size k is numerator[k] / denominator (numerator[0] unused).
struct SudaWeights {
  std::vector<BigInt> numerator;
  BigInt denominator = 1;
  std::vector<double> numerator_double;  // numerator rounded to double
  // Whether every score numerator a record can reach (all its possible MSUs counted) and the
  // denominator are below 2^53, so that double arithmetic on them is exact.
  bool exact_in_double = false;
};

// num / den rounded to the nearest double (ties to even); num >= 0, den > 0. Boost's own
// conversion is not documented to round correctly, so the quotient is formed to 66+ bits with
// the remainder folded into a sticky bit, and the hardware rounds the 64-bit head.
inline double to_double(const BigInt& num, const BigInt& den) {
  if (num == 0) return 0.0;
  const int e = static_cast<int>(boost::multiprecision::msb(num)) -
                static_cast<int>(boost::multiprecision::msb(den));
  const int shift = 66 - e;  // the quotient then lies in [2^65, 2^67)
  BigInt q, r;
  if (shift >= 0) {
    boost::multiprecision::divide_qr(BigInt(num << shift), den, q, r);
  } else {
    boost::multiprecision::divide_qr(num, BigInt(den << -shift), q, r);
  }
  const unsigned extra = static_cast<unsigned>(boost::multiprecision::msb(q)) + 1 - 64;
  const bool sticky = r != 0 || (q & ((BigInt(1) << extra) - 1)) != 0;
  std::uint64_t head = static_cast<std::uint64_t>(q >> extra);
  if (sticky) head |= 1;  // below the rounding bit: only breaks exact ties
  return std::ldexp(static_cast<double>(head), static_cast<int>(extra) - shift);
}

inline BigInt factorial(int n) {
  BigInt f = 1;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Weights for MSUs of size 1..max_size among num_keys keys (docs/methods/suda.md, "Scores").
inline SudaWeights suda_weights(int num_keys, int max_size, SudaScoring scoring) {
  const int m = num_keys;
  SudaWeights w;
  w.numerator.assign(static_cast<std::size_t>(max_size) + 1, 0);
  if (scoring == SudaScoring::kOriginal) {
    // prod_{i=k}^{min(K, M-1)} (M - i): Elliot et al.'s product up to the largest size searched,
    // which sdcMicro (K = M) evaluates as (M - k)!, the empty product 1 for k = M.
    const int top = max_size < m ? max_size : m - 1;
    for (int k = 1; k <= max_size; ++k) {
      BigInt p = 1;
      for (int i = k; i <= top; ++i) p *= m - i;
      w.numerator[static_cast<std::size_t>(k)] = p;
    }
  } else {
    // (2^(M-k) - 1) / C(M, k) = (2^(M-k) - 1) k! (M-k)! / M!, sdcMicro's IHSN variant.
    w.denominator = factorial(m);
    for (int k = 1; k <= max_size; ++k) {
      w.numerator[static_cast<std::size_t>(k)] =
          ((BigInt(1) << (m - k)) - 1) * factorial(k) * factorial(m - k);
    }
  }
  BigInt bound = 0, choose = 1;  // choose = C(M, k)
  for (int k = 1; k <= max_size; ++k) {
    choose = choose * (m - k + 1) / k;
    bound += choose * w.numerator[static_cast<std::size_t>(k)];
  }
  const BigInt limit = BigInt(1) << 53;
  w.exact_in_double = bound < limit && w.denominator < limit;
  for (const BigInt& n : w.numerator) w.numerator_double.push_back(to_double(n, 1));
  return w;
}

}  // namespace sdcore::detail
