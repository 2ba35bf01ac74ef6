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

// Writes the run's pcapng (keys embedded) to `path` and says so; false when
// it cannot be written.
bool saveRun(std::ostream& out, const scenarios::RunTrace& traced, const std::string& path);

}  // namespace tlslab::cli
