#pragma once
// How `tlslab serve` and `tlslab mitm` report an endpoint that could not
// start: the core's reason, and for a port in use what to do about it.
#include <ostream>
#include <string>

namespace tlslab::cli {

inline void printStartError(std::ostream& err, const std::string& command, const std::string& error) {
  err << "tlslab " << command << ": " << error << "\n";
  if (error.find("Address already in use") != std::string::npos)
    err << "  stop that process (Ctrl-C in its terminal), or choose another port: --port N (--port 0 picks a free one)\n";
}

}  // namespace tlslab::cli
