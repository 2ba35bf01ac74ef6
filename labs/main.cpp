#include <exception>
#include <iostream>

#include "cli/Commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tlslab: learn TLS by watching it happen", "tlslab"};
  app.require_subcommand(0, 1);
  tlslab::cli::Context ctx;
  tlslab::cli::registerCertsCommand(app, ctx);
  tlslab::cli::registerDemoCommand(app, ctx);
  tlslab::cli::registerExplainCommand(app, ctx);
  tlslab::cli::registerKeysCommand(app, ctx);
  tlslab::cli::registerConnectCommand(app, ctx);
  tlslab::cli::registerServeCommand(app, ctx);
  tlslab::cli::registerLabCommand(app, ctx);
  tlslab::cli::registerMitmCommand(app, ctx);
  tlslab::cli::registerDissectCommand(app, ctx);
  tlslab::cli::registerFollowCommand(app, ctx);
  tlslab::cli::registerExportCommand(app, ctx);
  tlslab::cli::registerCaptureCommand(app, ctx);
  tlslab::cli::registerClassCommand(app, ctx);
  tlslab::cli::registerWrapCommand(app, ctx);
  tlslab::cli::registerCapturesCommand(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Modules report bad input as diagnostics; this is the last line of defence.
    std::cerr << "tlslab: error: " << e.what() << "\n";
    return 1;
  }
  if (app.get_subcommands().empty()) return tlslab::cli::runDemo(ctx);
  return ctx.exitCode;
}
