// One connection of the anatomy lab taken apart: flights and round trips,
// what an observer without keys reads, the downgrade sentinel, the
// HelloRetryRequest and the middlebox-compatibility ChangeCipherSpecs.
#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/core.h>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/AnatomyLab.hpp"
#include "tlslab/scenarios/CertificateCompare.hpp"

namespace tlslab::scenarios {

namespace {

using model::Direction;
using model::Field;
using model::TraceConnection;

constexpr std::uint16_t kTls13 = 0x0304;
// RFC 8446 §4.1.3: the last 8 bytes of a 1.3-capable server's random when it negotiates 1.2 (…01) or below (…00).
constexpr std::uint8_t kDowngrade[7] = {'D', 'O', 'W', 'N', 'G', 'R', 'D'};

// "0x001d x25519" -> "x25519"
std::string nameOf(const Field* field) {
  if (field == nullptr) return {};
  auto space = field->value.find(' ');
  return space == std::string::npos ? field->value : field->value.substr(space + 1);
}

const model::TraceMessage* firstMessage(const TraceConnection& conn, const std::string& name) {
  for (const auto& m : conn.messages)
    if (m.name == name) return &m;
  return nullptr;
}

void collectProtocols(const Field& field, std::vector<std::string>& out) {
  for (const auto& child : field.children) {
    if (child.name == "protocol_name") {
      for (const auto& part : child.children)
        if (part.name == "data") out.push_back(part.value);
    } else {
      collectProtocols(child, out);
    }
  }
}

// A TLS 1.3 NewSessionTicket is post-handshake (§4.6.1): nobody waits for it.
bool postHandshake(const TraceConnection& conn, const std::string& name) {
  return conn.negotiated.version == kTls13 && name == "NewSessionTicket";
}

std::vector<std::string> itemsOf(const TraceConnection& conn, const model::TraceRecord& record) {
  std::vector<std::string> items;
  for (std::size_t m : record.messages)
    if (m < conn.messages.size() && !postHandshake(conn, conn.messages[m].name)) items.push_back(conn.messages[m].name);
  const std::uint8_t type = record.innerContentType != 0 ? record.innerContentType : record.contentType;
  if (items.empty() && record.messages.empty() && type == 23 && !record.plaintext.empty()) items.push_back("Application Data");
  return items;
}

void flightsOf(const TraceConnection& conn, HandshakeAnatomy& a) {
  for (const auto& record : conn.records) {
    std::vector<std::string> items = itemsOf(conn, record);
    if (items.empty()) continue;
    if (a.flights.empty() || a.flights.back().from != record.direction) a.flights.push_back({record.direction, {}});
    auto& flight = a.flights.back().items;
    for (auto& item : items)
      if (flight.empty() || flight.back() != item || item == "Application Data") flight.push_back(item);
    const bool clientData = record.direction == Direction::ClientToServer && items.back() == "Application Data";
    if (clientData) {
      a.roundTrips = static_cast<int>(std::count_if(a.flights.begin(), a.flights.end(), [](const Flight& f) {
        return f.from == Direction::ServerToClient;
      }));
      return;
    }
  }
  a.roundTrips = -1;  // the client never sent application data
}

void observerView(const TraceConnection& observed, HandshakeAnatomy& a) {
  for (const auto& m : observed.messages)
    if (!m.encrypted) a.clearMessages.push_back(m.name);
  for (const auto& r : observed.records)
    if (r.encrypted && r.plaintext.empty()) ++a.sealedRecords;
  for (const auto& der : observed.serverCertificates) {
    CertificateSummary summary = summarizeCertificate(der);
    if (summary.parsed) a.observerCertificates.push_back(summary.subject);
  }
  a.sni = observed.negotiated.sni;
  a.alpnSelectedInClear = !observed.negotiated.alpn.empty();
}

void compatibility(const TraceConnection& conn, HandshakeAnatomy& a) {
  const auto& ms = conn.messages;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (ms[i].name != "ChangeCipherSpec") continue;
    HandshakeAnatomy::Ccs ccs{ms[i].direction, {}, {}};
    for (std::size_t j = i; j-- > 0;)
      if (ms[j].direction == ccs.from) {
        ccs.before = ms[j].name;
        break;
      }
    for (std::size_t j = i + 1; j < ms.size(); ++j)
      if (ms[j].direction == ccs.from) {
        ccs.after = ms[j].name;
        break;
      }
    a.changeCipherSpecs.push_back(ccs);
  }
}

}  // namespace

HandshakeAnatomy anatomyOf(const TraceConnection& withKeys, const TraceConnection& observed) {
  HandshakeAnatomy a;
  a.version = withKeys.negotiated.version;
  flightsOf(withKeys, a);
  observerView(observed, a);
  a.alpnSelected = withKeys.negotiated.alpn;
  if (const auto* hello = firstMessage(withKeys, "ClientHello")) {
    if (const Field* alpn = model::findField(hello->tree, "application_layer_protocol_negotiation"))
      collectProtocols(*alpn, a.alpnOffered);
    a.firstKeyShare = nameOf(model::findField(hello->tree, "key_share/key_share_entry/group"));
    if (const Field* length = model::findField(hello->tree, "legacy_session_id/length"))
      a.sessionIdLength = std::strtoul(length->value.c_str(), nullptr, 10);
  }
  if (const auto* retry = firstMessage(withKeys, "HelloRetryRequest"))
    a.retryGroup = nameOf(model::findField(retry->tree, "key_share/selected_group"));
  a.serverRandom = withKeys.serverRandom;
  if (a.serverRandom.size() == 32 && std::memcmp(a.serverRandom.data() + 24, kDowngrade, 7) == 0 &&
      a.serverRandom[31] <= 1)
    a.downgradeSentinel = std::string("DOWNGRD") + static_cast<char>(a.serverRandom[31]);
  compatibility(withKeys, a);
  return a;
}

AnatomyReport anatomize(const AnatomyRun& run) {
  AnatomyReport report;
  report.traced = traceOfRun(run.legs(), "lab: anatomy");
  if (!report.traced.error.empty()) {
    report.error = report.traced.error;
    return report;
  }
  keys::KeyStore none;
  auto observed = dissect::dissectBytes(asBytes(observerPcapng(run)), none);
  if (!observed) {
    report.error = "cannot read the observer's capture: " + observed.error().message();
    return report;
  }
  for (const auto& conn : report.traced.trace.connections) {
    auto same = std::find_if(observed.value().connections.begin(), observed.value().connections.end(),
                             [&](const TraceConnection& o) { return o.client == conn.client; });
    if (same == observed.value().connections.end()) {
      report.error = "connection " + conn.client + " is missing from the observer's capture";
      return report;
    }
    report.connections.push_back(anatomyOf(conn, *same));
  }
  if (report.connections.size() != run.runs.size()) report.error = "a connection of the run is missing from its capture";
  return report;
}

CaptureAnatomy anatomizeCapture(ByteView observerPcapng, const std::string& keyLog) {
  CaptureAnatomy result;
  keys::KeyStore none, keys;
  for (const auto& d : keys.addKeyLogText(keyLog, "the workspace's key log")) {
    if (d.severity == model::Severity::Error) {
      result.error = d.message;
      return result;
    }
  }
  auto observed = dissect::dissectBytes(observerPcapng, none);
  auto withKeys = dissect::dissectBytes(observerPcapng, keys);
  if (!observed || !withKeys) {
    result.error = (observed ? withKeys : observed).error().message();
    return result;
  }
  result.observed = std::move(observed.value());
  result.withKeys = std::move(withKeys.value());
  if (result.observed.connections.size() != result.withKeys.connections.size()) {
    result.error = "the capture reads differently with and without its keys";
    return result;
  }
  for (std::size_t i = 0; i < result.withKeys.connections.size(); ++i)
    result.connections.push_back(anatomyOf(result.withKeys.connections[i], result.observed.connections[i]));
  return result;
}

std::string sentinelText(const std::string& sentinel) {
  std::string out;
  for (unsigned char c : sentinel) out += fmt::format("{}{:02x}", out.empty() ? "" : " ", c);
  return out;
}

}  // namespace tlslab::scenarios
