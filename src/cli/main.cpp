// The `sdcore` command-line tool. Each failure kind has its own exit code (see common.hpp) and is
// reported as one line on stderr.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sdcore/error.hpp"
#include "sdcore/version.hpp"

namespace {

int fail(int code, const char* kind, const char* what) {
  std::fprintf(stderr, "sdcore: %s: %s\n", kind, what);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sdcore::cli;
  CLI::App app{"sdcore: statistical disclosure control for tabular health data.\n"
               "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 invalid argument,\n"
               "4 malformed input data, 5 file or I/O error, 6 no solution (e.g. nothing\n"
               "in the lattice is anonymous), 7 verification failed (sdcore verify)."};
  app.set_version_flag("--version", std::string("sdcore ") + sdcore::version());
  app.require_subcommand(1);
  register_classes(app);
  register_risk(app);
  register_suda(app);
  register_generate(app);
  register_anonymise(app);
  register_mondrian(app);
  register_microaggregate(app);
  register_local_suppress(app);
  register_table(app);
  register_publish(app);
  register_verify(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "sdcore: usage error: %s (see --help)\n", e.what());
    return kUsageError;
  } catch (const VerifyFailed& e) {
    return fail(kVerifyFailed, "verification failed", e.what());
  } catch (const NoSolution& e) {
    return fail(kNoSolution, "no solution", e.what());
  } catch (const sdcore::ParseError& e) {
    return fail(kParseError, "malformed input", e.what());
  } catch (const sdcore::IoError& e) {
    return fail(kIoError, "I/O error", e.what());
  } catch (const sdcore::InvalidArgument& e) {
    return fail(kInvalidArgument, "invalid argument", e.what());
  } catch (const std::bad_alloc&) {
    return fail(kInternalError, "out of memory", "the data does not fit in memory");
  } catch (const std::exception& e) {
    return fail(kInternalError, "internal error", e.what());
  }
  return kOk;
}
