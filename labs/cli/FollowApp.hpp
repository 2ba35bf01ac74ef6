#pragma once
// `tlslab follow --app` / `--json`: connection N's application protocol,
// decoded by core/app (issue 18).
#include "tlslab/model/Trace.hpp"

namespace tlslab::cli {

// Prints the decoded conversation; false (nothing printed) when no protocol
// is recognised, so the caller shows the bytes as before.
bool printApplication(const model::TraceConnection& conn, bool hex);
// One JSON document: the connection's endpoints and verdict, and "application".
int printApplicationJson(const model::TraceConnection& conn);

}  // namespace tlslab::cli
