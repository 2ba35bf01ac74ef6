#pragma once
// The record layer as tables (`tlslab lab run records`, `tlslab dissect
// --segments`): which TCP segments carry which records, and every record with
// its length, key phase, sequence number, inner type and padding.
#include <ostream>

#include "tlslab/scenarios/RecordLab.hpp"

namespace tlslab::cli {

void printSegmentTable(std::ostream& out, const scenarios::RecordLayout& layout);
void printRecordTable(std::ostream& out, const scenarios::RecordLayout& layout);

}  // namespace tlslab::cli
