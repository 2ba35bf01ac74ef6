#pragma once
// Text views of a model::Trace for `tlslab dissect`, `follow` and `capture`:
// the connection table, the ladder (time, direction, record, messages), the
// key derivation summary, and application data as text or a hex dump.
#include <ostream>
#include <string>
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::cli {

// `recordCounts` (by connection index) stands in for records that were not
// kept (a streaming summary).
void printConnectionTable(std::ostream& out, const std::vector<const model::TraceConnection*>& connections,
                          const std::vector<std::size_t>* recordCounts = nullptr);
void printLadder(std::ostream& out, const model::TraceConnection& conn);
// One ladder line (also printed live by `tlslab capture`).
std::string ladderLine(const model::TraceConnection& conn, const model::TraceRecord& record);
void printDerivationSummary(std::ostream& out, const model::TraceConnection& conn);
// Bytes of each conversation turn the printout shows (the dissect printout
// keeps no more: DissectOptions::payloadPreview).
inline constexpr std::size_t kPrintedBytesPerTurn = 4096;
void printApplicationData(std::ostream& out, const model::TraceConnection& conn,
                          std::size_t maxBytesPerChunk = kPrintedBytesPerTurn);
void printConnection(std::ostream& out, const model::TraceConnection& conn);
// What follows a connection's header lines: ladder, key derivation,
// application data, diagnostics.
void printConnectionBody(std::ostream& out, const model::TraceConnection& conn);
// A QUIC connection (conn.quic set): packets by space, frames, TLS messages, streams (QuicPrinter.cpp).
void printQuicConnection(std::ostream& out, const model::TraceConnection& conn);
// A DTLS association (conn.dtls set): version, flights, retransmits, the
// ladder with epochs and sequence numbers (DtlsPrinter.cpp).
void printDtlsConnection(std::ostream& out, const model::TraceConnection& conn);
// " [epoch 1 seq 3, flight 5 resent]": what a DTLS record adds to its ladder line.
std::string dtlsLadderTag(const model::DtlsRecordInfo& dtls);

// Text if every byte is printable (or \r \n \t), else a hex dump with ASCII.
bool isPrintable(ByteView data);
std::string hexDump(ByteView data, const std::string& indent = "  ");
std::string versionText(std::uint16_t version);

}  // namespace tlslab::cli
