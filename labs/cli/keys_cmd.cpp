#include "cli/Commands.hpp"

namespace tlslab::cli {

// Filled in by the keys work (issue 4).
void registerKeysCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace tlslab::cli
