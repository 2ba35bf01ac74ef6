#include <iostream>

#include "cli/Commands.hpp"

namespace tlslab::cli {

void registerDemoCommand(CLI::App& app, Context& ctx) {
  app.add_subcommand("demo", "Run the main job: the demo PKI summary and gallery verdicts")
      ->callback([&ctx] { ctx.exitCode = runDemo(ctx); });
}

int runDemo(Context& /*ctx*/) {
  std::cout << "tlslab\n";
  return 0;
}

}  // namespace tlslab::cli
