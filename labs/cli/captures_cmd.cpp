// `tlslab captures regenerate [--out DIR]`: the sample captures of captures/, made again.
#include "cli/Commands.hpp"

namespace tlslab::cli {

void registerCapturesCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("captures", "The sample captures of captures/");
  cmd->require_subcommand(1);
  (void)ctx;
}

}  // namespace tlslab::cli
