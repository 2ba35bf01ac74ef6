#pragma once
// `tlslab keys aead-decrypt`: open one record by hand (keys_aead_cmd.cpp).
#include "cli/Commands.hpp"

namespace tlslab::cli {

void addAeadDecryptCommand(CLI::App& keys, Context& ctx);

}  // namespace tlslab::cli
