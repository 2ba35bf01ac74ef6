#pragma once
// One key-derivation step in the terminal (and its JSON, core's toJson):
// function, inputs, output, RFC, note, and the commands that reproduce it
// by hand. Shared by `tlslab keys explain|derive` and the labs' printout.
#include <ostream>
#include <string>
#include <vector>

#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::cli {

void printStep(std::ostream& out, const model::DerivationStep& step);

// A connection's derivation in one line: where it starts, how many steps
// match OpenSSL's key log, any failure.
std::string scheduleSummary(const model::TraceConnection& conn);

// Every step of a connection, in full.
void printSchedule(std::ostream& out, const model::TraceConnection& conn);

}  // namespace tlslab::cli
