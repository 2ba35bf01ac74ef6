#include "cli/Commands.hpp"

namespace tlslab::cli {

// Filled in by the explain work (issue 3).
void registerExplainCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace tlslab::cli
