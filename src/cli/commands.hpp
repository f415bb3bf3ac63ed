#pragma once
// One register function per subcommand; each lives in its own cmd_<name>.cpp.

#include <CLI/CLI.hpp>

namespace sdcore::cli {

void register_anonymise(CLI::App& app);
void register_classes(CLI::App& app);
void register_generate(CLI::App& app);
void register_local_suppress(CLI::App& app);
void register_microaggregate(CLI::App& app);
void register_mondrian(CLI::App& app);
void register_risk(CLI::App& app);
void register_suda(CLI::App& app);
void register_table(CLI::App& app);
void register_publish(CLI::App& app);
void register_verify(CLI::App& app);

}  // namespace sdcore::cli
