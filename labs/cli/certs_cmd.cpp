#include "cli/Commands.hpp"

namespace tlslab::cli {

// Filled in by the PKI work (issue 2).
void registerCertsCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace tlslab::cli
