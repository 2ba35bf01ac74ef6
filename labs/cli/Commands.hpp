#pragma once
// Each subcommand registers itself on the app; main() only wires them up.
// A command's callback sets `exitCode` (0 ok, 1 failure the user should see,
// 2 bad usage or unreadable input).
#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace tlslab::cli {

struct Context {
  int exitCode = 0;
};

void registerCertsCommand(CLI::App& app, Context& ctx);
void registerDemoCommand(CLI::App& app, Context& ctx);
void registerExplainCommand(CLI::App& app, Context& ctx);
void registerKeysCommand(CLI::App& app, Context& ctx);
void registerConnectCommand(CLI::App& app, Context& ctx);
void registerServeCommand(CLI::App& app, Context& ctx);
void registerLabCommand(CLI::App& app, Context& ctx);
void registerMitmCommand(CLI::App& app, Context& ctx);
void registerDissectCommand(CLI::App& app, Context& ctx);
void registerFollowCommand(CLI::App& app, Context& ctx);
void registerExportCommand(CLI::App& app, Context& ctx);
void registerCaptureCommand(CLI::App& app, Context& ctx);
void registerClassCommand(CLI::App& app, Context& ctx);
void registerWrapCommand(CLI::App& app, Context& ctx);
void registerCapturesCommand(CLI::App& app, Context& ctx);
// `tlslab keys pem` and `tlslab keys explain --capture` (keys_ephemeral_cmd.cpp), under `keys`.
void registerKeysPemCommand(CLI::App& keys, Context& ctx);
// `keys`: the key logs, ephemeral keys and PSKs (CaptureArgs.hpp) to dissect with.
struct KeyArgs;
int explainCapture(const std::string& capture, const KeyArgs& keys, bool json);
// `tlslab lab list|start|check|hint|build`, under the `lab` command.
void registerCourseCommands(CLI::App* lab, Context& ctx);
// `tlslab lab try N`: a student's program against one scenario, narrated (lab_try_cmd.cpp).
void registerLabTryCommand(CLI::App& lab, Context& ctx);
// The `tlslab lab run` scenarios, one line each.
void printScenarios(std::ostream& out);

// Runs the main job (`tlslab` with no subcommand).
int runDemo(Context& ctx);

}  // namespace tlslab::cli
