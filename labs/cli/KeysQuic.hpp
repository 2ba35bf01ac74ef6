#pragma once
// `tlslab keys quic-initial`: a QUIC Initial's keys from its DCID, step by step (keys_quic_cmd.cpp).
#include "cli/Commands.hpp"

namespace tlslab::cli {

void addQuicInitialCommand(CLI::App& keys, Context& ctx);

}  // namespace tlslab::cli
