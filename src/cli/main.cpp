// The `sdcore` command-line tool. Each failure kind has its own exit code (see common.hpp) and is
// reported as one line on stderr.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/memory_limit.hpp"
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
               "in the lattice is anonymous), 7 verification failed (sdcore verify),\n"
               "8 out of memory (more needed than --max-memory allows, or than there is),\n"
               "9 time limit (the audit did not finish within --audit-time-limit)."};
  app.set_version_flag("--version", std::string("sdcore ") + sdcore::version());
  app.require_subcommand(1);
  app.fallthrough();  // --max-memory may come after the subcommand's name too
  std::string max_memory;
  app.add_option("--max-memory", max_memory,
                 "Stop with an 'out of memory' error (exit code 8, no output written) rather than use "
                 "more than this much memory (address space), e.g. 4G or 500M")
      ->envname("SDCORE_MAX_MEMORY");
  // Runs after every option is read and before the subcommand does any work.
  app.parse_complete_callback([&max_memory] {
    if (!max_memory.empty()) apply_memory_limit(parse_memory_size(max_memory, "--max-memory"));
  });
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
  } catch (const sdcore::TimeLimitReached& e) {
    return fail(kTimeLimit, "time limit", e.what());
  } catch (const sdcore::ParseError& e) {
    return fail(kParseError, "malformed input", e.what());
  } catch (const sdcore::IoError& e) {
    return fail(kIoError, "I/O error", e.what());
  } catch (const sdcore::InvalidArgument& e) {
    return fail(kInvalidArgument, "invalid argument", e.what());
  } catch (const std::bad_alloc&) {
    if (const auto limit = memory_limit()) {
      const std::string what = "the work needs more than the " + format_memory_size(*limit) +
                               " that --max-memory allows; nothing was written";
      return fail(kOutOfMemory, "out of memory", what.c_str());
    }
    return fail(kOutOfMemory, "out of memory", "the work needs more memory than there is; nothing was written");
  } catch (const std::exception& e) {
    return fail(kInternalError, "internal error", e.what());
  }
  return kOk;
}
