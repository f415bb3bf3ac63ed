// Fuzz harness: `sdcore verify` reading a disclosure certificate. A small release (a two-way
// table of counts under a rule with suppression and rounding) is published once, into a private
// temporary folder; each input then replaces the certificate, and verify runs on it with the
// published table and the spec. verify may pass, fail (the certificate does not match) or refuse
// the certificate as malformed, but only through the tool's own errors (exit codes 3 to 7).
// Found by the hostile-input tests before this harness existed: a field missing from the
// certificate was looked up in a const JSON object (undefined behaviour).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "fuzz_common.hpp"

namespace {

namespace fs = std::filesystem;

// Runs `sdcore ARGS...` in-process, with stdout silenced (verify prints a summary when it passes).
void run_cli(std::vector<std::string> args) {
  CLI::App app;
  app.require_subcommand(1);
  sdcore::cli::register_publish(app);
  sdcore::cli::register_verify(app);
  std::vector<const char*> argv{"sdcore"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  static std::ofstream null("/dev/null");
  struct Silence {  // the commands print through std::cout
    std::streambuf* saved = std::cout.rdbuf(null.rdbuf());
    ~Silence() { std::cout.rdbuf(saved); }
  } silence;
  app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
}

struct Release {
  fs::path dir, data, spec, published, certificate;

  Release() {
    dir = fs::temp_directory_path() / ("sdcore-fuzz-certificate-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    data = dir / "data.csv", spec = dir / "spec.yaml", published = dir / "published.csv";
    certificate = dir / "published.csv.certificate.json";
    std::ofstream(data) << "org,sex,n\na,F,3\na,M,9\nb,F,10\nb,M,12\nc,F,1\nc,M,25\n";
    std::ofstream(spec) << "input: long\ndimensions:\n  - {column: org, total: All}\n  - {column: sex, total: All}\n"
                           "value: n\nrule:\n  name: fuzz\n  suppress: {min: 1, max: 3}\n"
                           "  secondary: {method: network}\n  rounding: {method: nearest, base: 5}\n";
    run_cli({"publish", data.string(), "--spec", spec.string(), "-o", published.string(), "-q"});
  }
  ~Release() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

const Release& release() {
  static const Release r;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const Release& r = release();
  {
    std::ofstream cert(r.certificate, std::ios::binary | std::ios::trunc);
    cert.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(size));
  }
  sdcore::fuzz::refused_cleanly([&] {
    try {
      run_cli({"verify", r.certificate.string(), r.published.string(), "--spec", r.spec.string(), "-q"});
    } catch (const sdcore::cli::VerifyFailed&) {
    } catch (const sdcore::cli::NoSolution&) {
    } catch (const CLI::ParseError&) {
      std::abort();  // the arguments are fixed: a parse error here is the harness's own bug
    }
  });
  return 0;
}
