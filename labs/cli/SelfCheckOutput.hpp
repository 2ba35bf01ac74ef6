#pragma once
// The lab self-check in the terminal: each connection of a run, dissected from
// its own wire bytes, must decrypt to what the endpoints sent. Optionally
// saves the run as pcapng with its keys embedded (opens decrypted in
// Wireshark and in `tlslab dissect`).
#include <ostream>
#include <string>

#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::cli {

// Prints one line per leg; writes `savePath` when not empty. Returns false
// when the self-check failed or the file could not be written.
bool reportSelfCheck(std::ostream& out, const scenarios::RunTrace& traced, const std::string& savePath);

// Every connection's key derivation in full, with the by-hand commands.
void printRunSchedules(std::ostream& out, const scenarios::RunTrace& traced);

// The file beside a saved run that holds its ephemeral keys: run.pcapng ->
// run.ephemeral-keys.
std::string ephemeralKeysPath(const std::string& pcapngPath);

// Writes the run's pcapng (key log embedded) to `path`, and its ephemeral
// keys beside it (never inside), and says so; false when it cannot be written.
bool saveRun(std::ostream& out, const scenarios::RunTrace& traced, const std::string& path);

}  // namespace tlslab::cli
