// Secure renegotiation (RFC 5746) and KeyUpdate (RFC 8446 §4.6.3), as lab 12
// shows them: read off a run's own trace, so the claims are the wire's.
#include <fmt/core.h>

#include "tlslab/scenarios/ResumptionLab.hpp"

namespace tlslab::scenarios {

namespace {

std::string hexOf(const model::TraceMessage& m, const char* path) {
  const model::Field* f = model::findField(m.tree, path);
  if (f == nullptr || f->offset + f->length > m.bytes.size()) return {};
  return toHex(ByteView(m.bytes).subspan(f->offset, f->length));
}

bool offersScsv(const model::TraceMessage& hello) {
  const model::Field* suites = model::findField(hello.tree, "cipher_suites");
  if (suites == nullptr) return false;
  for (const auto& suite : suites->children)
    if (suite.value.rfind("0x00ff", 0) == 0) return true;
  return false;
}

}  // namespace

std::vector<std::string> renegotiationReport(const model::TraceConnection& conn) {
  std::vector<const model::TraceMessage*> clientHellos, serverHellos, finished;
  for (const auto& m : conn.messages) {
    if (m.handshakeType == 1) clientHellos.push_back(&m);
    if (m.handshakeType == 2) serverHellos.push_back(&m);
    if (m.handshakeType == 20) finished.push_back(&m);
  }
  if (clientHellos.size() < 2 || serverHellos.size() < 2 || finished.size() < 2)
    return {"no renegotiation in this connection"};
  std::vector<std::string> lines;
  const char* info = "renegotiation_info/renegotiated_connection/data";
  if (offersScsv(*clientHellos[0]))
    lines.push_back("first ClientHello: TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff) among its suites, the client's "
                    "way to say it supports secure renegotiation (RFC 5746 §3.3)");
  else if (model::findField(clientHellos[0]->tree, "renegotiation_info"))
    lines.push_back("first ClientHello: an empty renegotiation_info extension (RFC 5746 §3.4)");
  const std::string clientVerify = hexOf(*finished[0], "verify_data");
  const std::string serverVerify = hexOf(*finished[1], "verify_data");
  const std::string clientSaid = hexOf(*clientHellos[1], info);
  const std::string serverSaid = hexOf(*serverHellos[1], info);
  lines.push_back(fmt::format("first handshake's Finished: client verify_data {}, server verify_data {}", clientVerify, serverVerify));
  lines.push_back("second ClientHello (inside the encrypted connection): renegotiation_info = " +
                  (clientSaid.empty() ? std::string("none") : clientSaid));
  lines.push_back("second ServerHello: renegotiation_info = " + (serverSaid.empty() ? std::string("none") : serverSaid));
  if (!clientSaid.empty() && clientSaid == clientVerify && serverSaid == clientVerify + serverVerify)
    lines.push_back("✔ both hellos carry the first handshake's verify_data: the new handshake is bound to this "
                    "connection, so an attacker cannot splice its own prefix in front of the client's (CVE-2009-3555)");
  else
    lines.push_back("✗ the renegotiation_info does not match the first handshake's Finished messages");
  return lines;
}

std::vector<std::string> keyUpdateReport(const model::TraceConnection& conn) {
  std::vector<std::string> lines;
  for (const auto& m : conn.messages) {
    if (m.handshakeType != 24) continue;
    const bool client = m.direction == model::Direction::ClientToServer;
    const std::string requested = hexOf(m, "request_update");
    lines.push_back(fmt::format("{} sent KeyUpdate (request_update = {}) in record {}", client ? "the client" : "the server",
                                requested == "01" ? "update_requested: the peer must update too" : "update_not_requested",
                                m.lastRecord));
    for (std::size_t r = m.lastRecord + 1; r < conn.records.size(); ++r)
      if (conn.records[r].direction == m.direction) {
        lines.push_back(fmt::format("  its next record ({}) is protected with the {} keys", r,
                                    conn.records[r].keyPhase.empty() ? std::string("?") : conn.records[r].keyPhase.name()));
        break;
      }
  }
  if (lines.empty()) lines.push_back("no KeyUpdate in this connection");
  return lines;
}

}  // namespace tlslab::scenarios
