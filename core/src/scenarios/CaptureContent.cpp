// Whether a dissected sample capture shows what captures/README says it shows.
#include <fmt/core.h>

#include <map>

#include "tlslab/scenarios/Captures.hpp"

namespace tlslab::scenarios {

namespace {

std::string allBytes(const model::Trace& trace) {
  std::string text;
  for (const auto& conn : trace.connections) {
    for (const auto& pre : conn.preamble) text.append(pre.begin(), pre.end());
    for (const auto& chunk : conn.appData) text.append(chunk.data.begin(), chunk.data.end());
  }
  return text;
}

std::string firstUnopened(const model::Trace& trace) {
  for (const auto& conn : trace.connections)
    for (const auto& record : conn.records)
      if (record.encrypted && !record.undecryptedReason.empty())
        return fmt::format("connection {} record {} did not open: {}", conn.index, record.index, record.undecryptedReason);
  return {};
}

}  // namespace

std::string checkCaptureContent(const model::Trace& trace, const CaptureContent& content) {
  const auto& conns = trace.connections;
  if (conns.size() != content.connections)
    return fmt::format("{} connection(s), not {}", conns.size(), content.connections);
  for (const auto& conn : conns) {
    if (content.version == 0 && !conn.records.empty())
      return fmt::format("connection {} has TLS records; this capture has no TLS", conn.index);
    if (content.version != 0 && conn.negotiated.version != content.version)
      return fmt::format("connection {} is version 0x{:04x}, not 0x{:04x}", conn.index, conn.negotiated.version,
                         content.version);
    if (!content.startTls.empty() && conn.startTlsProtocol != content.startTls)
      return fmt::format("connection {} upgrades with «{}», not {}", conn.index, conn.startTlsProtocol, content.startTls);
  }
  if (!content.suite.empty() && conns.front().negotiated.suiteName != content.suite)
    return "the suite is " + conns.front().negotiated.suiteName + ", not " + content.suite;
  if (conns.back().negotiated.resumption != content.resumption)
    return fmt::format("the last connection resumed by «{}», not «{}»", model::resumptionName(conns.back().negotiated.resumption),
                       model::resumptionName(content.resumption));
  if (content.earlyData && !conns.back().negotiated.earlyData) return "the last connection has no accepted 0-RTT data";
  std::map<std::string, int> seen;
  for (const auto& conn : conns)
    for (const auto& message : conn.messages) {
      ++seen[message.name];
      if (message.tree.name != message.name) ++seen[message.tree.name];
    }
  std::map<std::string, int> wanted;
  for (const auto& name : content.messages) ++wanted[name];
  for (const auto& [name, count] : wanted)
    if (seen[name] < count) return fmt::format("{} {} message(s), not at least {}", seen[name], name, count);
  const std::string bytes = allBytes(trace);
  for (const auto& text : content.plaintext)
    if (bytes.find(text) == std::string::npos) return "«" + text + "» is not among the decrypted bytes";
  if (!content.alert.empty()) {
    bool found = false;
    for (const auto& conn : conns) found |= conn.state.text.find(content.alert) != std::string::npos;
    if (!found) return "no connection ended with the alert " + content.alert + " (state: " + conns.back().state.text + ")";
  }
  if (!content.protection.empty()) {
    bool found = false;
    for (const auto& conn : conns)
      for (const auto& record : conn.records)
        found |= record.crypto && record.crypto->construction.find(content.protection) != std::string::npos;
    if (!found) return "no record was protected " + content.protection;
  }
  if (content.allDecrypted)
    if (auto unopened = firstUnopened(trace); !unopened.empty()) return unopened;
  return {};
}

}  // namespace tlslab::scenarios
