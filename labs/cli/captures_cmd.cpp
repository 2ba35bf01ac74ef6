// `tlslab captures regenerate [--out DIR]`: the sample captures of captures/,
// made again from the lab scenarios (scenarios::sampleCaptures), each checked
// against the content captures/README documents before it is written.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/Commands.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/Captures.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

namespace fs = std::filesystem;

int regenerate(const std::string& outDir, const std::string& only) {
  const fs::path out = outDir.empty() ? homeDir() / "captures" : fs::path(outDir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::cerr << "tlslab captures: cannot make " << out.string() << ": " << ec.message() << "\n";
    return 2;
  }
  int failed = 0, written = 0;
  for (const auto& capture : scenarios::sampleCaptures()) {
    if (!only.empty() && capture.file != only) continue;
    std::string error;
    const std::string pcapng = capture.make(certsDir(), error);
    if (pcapng.empty()) {
      std::cout << fmt::format("FAILED {}: {}\n", capture.file, error);
      ++failed;
      continue;
    }
    const fs::path file = out / std::string(capture.file);
    {
      std::ofstream o(file, std::ios::binary | std::ios::trunc);
      o << pcapng;
      if (!o) {
        std::cout << fmt::format("FAILED {}: cannot write {}\n", capture.file, file.string());
        ++failed;
        continue;
      }
    }
    keys::KeyStore none;  // the keys are in the file's Decryption Secrets Block
    auto trace = dissect::dissectFile(file, none);
    const std::string why = trace ? scenarios::checkCaptureContent(trace.value(), capture.content) : trace.error().message();
    if (!why.empty()) {
      std::cout << fmt::format("FAILED {}: written, but it does not show what the README says: {}\n", capture.file, why);
      ++failed;
      continue;
    }
    ++written;
    std::cout << fmt::format("wrote {} ({} bytes)\n", file.string(), pcapng.size());
  }
  if (written == 0 && failed == 0) {
    std::cerr << "tlslab captures: no sample capture is called '" << only << "'\n";
    return 2;
  }
  std::cout << fmt::format("{} capture(s) written, {} failed\n", written, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void registerCapturesCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("captures", "The sample captures of captures/");
  cmd->require_subcommand(1);
  auto out = std::make_shared<std::string>();
  auto only = std::make_shared<std::string>();
  CLI::App* regen = cmd->add_subcommand("regenerate", "Make the sample captures again from the lab scenarios");
  regen->add_option("--out", *out, "Folder to write them to (default: captures/ of the source tree)");
  regen->add_option("--only", *only, "Only this capture (its file name)");
  regen->callback([out, only, &ctx] { ctx.exitCode = regenerate(*out, *only); });
  cmd->add_subcommand("list", "Each sample capture and what it shows")->callback([] {
    for (const auto& capture : scenarios::sampleCaptures()) std::cout << capture.file << "\n    " << capture.shows << "\n";
  });
}

}  // namespace tlslab::cli
