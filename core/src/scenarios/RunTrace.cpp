#include "tlslab/scenarios/RunTrace.hpp"

#include <algorithm>
#include <sstream>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

namespace tlslab::scenarios {

namespace {

std::string endpointText(const std::string& address, std::uint16_t port) {
  bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

Bytes dissectedBytes(const model::TraceConnection& conn, model::Direction direction) {
  Bytes out = conn.preamble[static_cast<int>(direction)];
  for (const auto& chunk : conn.appData)
    if (chunk.direction == direction) out.insert(out.end(), chunk.data.begin(), chunk.data.end());
  return out;
}

// Where two byte strings first differ, in words a teacher can act on.
std::string firstDifference(const Bytes& sent, const Bytes& decrypted, const char* what) {
  auto [a, b] = std::mismatch(sent.begin(), sent.end(), decrypted.begin(), decrypted.end());
  std::ostringstream out;
  out << what << ": the endpoint has " << sent.size() << " bytes, the dissection " << decrypted.size()
      << "; first difference at byte " << (a - sent.begin());
  return out.str();
}

SelfCheck check(const endpoints::ClientRun& run, const model::TraceConnection& conn) {
  SelfCheck result;
  // A record that would not open is a failure even when no application byte
  // was in it (a close_notify, a ticket): the wire and the keys disagree.
  for (const auto& record : conn.records) {
    if (!record.undecryptedReason.empty()) {
      result.message = "record " + std::to_string(record.index) + " did not decrypt: " + record.undecryptedReason;
      return result;
    }
  }
  Bytes sent = appBytes(run.events, true);
  Bytes received = appBytes(run.events, false);
  Bytes decryptedUp = dissectedBytes(conn, model::Direction::ClientToServer);
  Bytes decryptedDown = dissectedBytes(conn, model::Direction::ServerToClient);
  result.bytesChecked = sent.size() + received.size();
  if (sent != decryptedUp) {
    result.message = firstDifference(sent, decryptedUp, "client -> server");
    return result;
  }
  if (received != decryptedDown) {
    result.message = firstDifference(received, decryptedDown, "server -> client");
    return result;
  }
  result.ok = true;
  result.message = "decrypted " + std::to_string(result.bytesChecked) +
                   " application bytes from the wire, equal to what the endpoints sent";
  return result;
}

}  // namespace

void addEphemeralKeys(keys::KeyStore& keys, const std::vector<endpoints::Event>& events, const std::string& who) {
  for (const auto& event : events) {
    const auto* e = std::get_if<endpoints::EphemeralKeyEvent>(&event);
    if (!e) continue;
    keys.addEphemeralKey({e->group, e->privateKey, e->publicKey, e->dhP, e->dhG},
                         "recorded by the lab's " + who + " (" + e->group + ")");
  }
}

bool RunTrace::selfCheckOk() const {
  return error.empty() && std::all_of(checks.begin(), checks.end(), [](const SelfCheck& c) { return c.ok || !c.applicable; });
}

Bytes appBytes(const std::vector<endpoints::Event>& events, bool sent) {
  Bytes out;
  for (const auto& event : events)
    if (const auto* data = std::get_if<endpoints::AppDataEvent>(&event); data != nullptr && data->sent == sent)
      out.insert(out.end(), data->bytes.begin(), data->bytes.end());
  return out;
}

const std::vector<endpoints::Event>* serverEventsOf(const endpoints::ClientRun& run,
                                                     const std::vector<endpoints::ServerConnection>& connections) {
  if (!run.connected) return nullptr;
  const std::string client = endpointText(run.peers.clientAddress, run.peers.clientPort);
  for (const auto& connection : connections)
    if (connection.peer == client) return &connection.events;
  return nullptr;
}

RunTrace traceOfRun(const std::vector<RunLeg>& legs, const std::string& source) {
  RunTrace result;
  std::vector<endpoints::RecordedConnection> recorded;
  for (const RunLeg& leg : legs)
    recorded.push_back({leg.run->peers, leg.run->events, leg.serverEvents ? *leg.serverEvents : std::vector<endpoints::Event>{}});
  std::ostringstream pcapng;
  if (auto err = endpoints::writeRunPcapng(pcapng, recorded); !err.empty()) {
    result.error = "cannot turn the run into a capture: " + err;
    return result;
  }
  result.pcapng = pcapng.str();
  keys::KeyStore keys;  // the run's key log travels inside the pcapng, its ephemeral keys beside it
  for (const RunLeg& leg : legs) {
    addEphemeralKeys(keys, leg.run->events, leg.clientLabel);
    if (leg.serverEvents) addEphemeralKeys(keys, *leg.serverEvents, leg.serverLabel);
  }
  result.ephemeralKeys = keys.ephemeralKeys();
  auto trace = dissect::dissectBytes(asBytes(result.pcapng), keys);
  if (!trace) {
    result.error = "cannot read the run's own capture back: " + trace.error().message();
    return result;
  }
  result.trace = std::move(trace.value());
  result.trace.source = source;
  // Match legs to dissected connections by the client's address and port.
  std::vector<model::TraceConnection> ordered;
  for (const RunLeg& leg : legs) {
    const auto& peers = leg.run->peers;
    std::string client = endpointText(peers.clientAddress, peers.clientPort);
    auto it = std::find_if(result.trace.connections.begin(), result.trace.connections.end(),
                           [&](const model::TraceConnection& c) { return c.client == client; });
    SelfCheck selfCheck;
    if (it == result.trace.connections.end() || !leg.run->connected) {
      selfCheck.applicable = false;
      // The dissector lists only connections that carry TLS.
      bool cleartext = leg.run->connected && leg.run->negotiated.version.empty();
      selfCheck.message = cleartext ? "cleartext run: the bytes on the wire are the application data"
                                    : "no TLS connection to check";
      result.checks.push_back(selfCheck);
      continue;
    }
    model::TraceConnection conn = *it;
    conn.index = ordered.size();
    conn.clientLabel = leg.clientLabel;
    conn.serverLabel = leg.serverLabel;
    if (!leg.run->verify.steps.empty() || !leg.run->verify.events.empty()) conn.serverVerification = leg.run->verify;
    if (conn.records.empty() && leg.run->negotiated.version.empty()) {
      selfCheck.applicable = false;
      selfCheck.message = "cleartext run: the bytes on the wire are the application data";
      result.checks.push_back(selfCheck);
    } else {
      result.checks.push_back(check(*leg.run, conn));
    }
    ordered.push_back(std::move(conn));
  }
  result.trace.connections = std::move(ordered);
  return result;
}

}  // namespace tlslab::scenarios
