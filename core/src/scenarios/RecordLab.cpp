#include "tlslab/scenarios/RecordLab.hpp"

#include <chrono>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "LabIdentity.hpp"
#include "LoopbackCapture.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

constexpr std::size_t kMinWrite = 1000, kMaxWrite = 256 * 1024;
constexpr std::size_t kMinBuffer = 256, kMaxBuffer = 64 * 1024;

std::string endMarker(std::size_t size) { return fmt::format("[end of the {}-byte write]\n", size); }

std::vector<std::size_t> appDataSizes(const std::vector<Event>& events, bool sent) {
  std::vector<std::size_t> sizes;
  for (const auto& e : events)
    if (const auto* data = std::get_if<AppDataEvent>(&e); data != nullptr && data->sent == sent)
      sizes.push_back(data->bytes.size());
  return sizes;
}

// Both sides log the same secrets; each line once.
std::string uniqueLines(const std::string& text) {
  std::set<std::string> seen;
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && seen.insert(line).second) out += line + "\n";
  return out;
}

void pinVersion(TlsOptions& tls, const std::string& version) {
  tls.minVersion = tls.maxVersion = version == "1.2" ? TlsVersion::Tls1_2 : TlsVersion::Tls1_3;
}

}  // namespace

std::string checkRecordLabOptions(const RecordLabOptions& options) {
  if (options.writeSize < kMinWrite || options.writeSize > kMaxWrite)
    return fmt::format("--size {} is outside {}..{} bytes", options.writeSize, kMinWrite, kMaxWrite);
  if (options.readBuffer < kMinBuffer || options.readBuffer > kMaxBuffer)
    return fmt::format("--buffer {} is outside {}..{} bytes", options.readBuffer, kMinBuffer, kMaxBuffer);
  if (options.tls != "1.2" && options.tls != "1.3") return "--tls is 1.2 or 1.3";
  if (!options.ciphers.empty() && options.tls != "1.2")
    return "--ciphers chooses TLS 1.2 suites: add --tls 1.2 (TLS 1.3 suites are all AEAD)";
  if (options.macThenEncrypt && options.ciphers.empty())
    return "--mac-then-encrypt changes CBC records only: choose a CBC suite, e.g. --tls 1.2 --ciphers AES128-SHA";
  if (options.padding > 0 && options.tls != "1.3")
    return "--pad is TLS 1.3 record padding (RFC 8446 §5.4): TLS 1.2 has none of its own";
  if (options.padding > 16384) return "--pad is at most 16384 bytes (a record's whole plaintext)";
  if (options.maxSegment != 0 && (options.maxSegment < 536 || options.maxSegment > 65495))
    return fmt::format("an MSS of {} is outside 536..65495", options.maxSegment);
  return {};
}

std::string recordLabPayload(std::size_t size) {
  const std::string marker = endMarker(size);
  std::string text;
  for (std::size_t line = 1; text.size() + marker.size() < size; ++line)
    text += fmt::format("line {:05} of the record lab's {}-byte write\n", line, size);
  text.resize(size > marker.size() ? size - marker.size() : 0);
  return text + marker;
}

std::vector<RunLeg> RecordLabRun::legs() const {
  return {{&client, "client", "server (echo)", serverEventsOf(client, server)}};
}

RecordLabRun runRecordLab(const RecordLabOptions& options) {
  RecordLabRun result;
  if (auto err = checkRecordLabOptions(options); !err.empty()) {
    result.setupError = err;
    return result;
  }
  ServerConfig server;
  setLabIdentity(server, options.certsDir);
  server.service = Service::Echo;
  server.readBufferSize = options.readBuffer;
  pinVersion(server.tls, options.tls);
  server.tls.cipherList = options.ciphers;
  server.tls.encryptThenMac = !options.macThenEncrypt;
  server.tls.blockPadding = options.padding;
  auto started = LabServer::start(server, options.observer);
  if (!started) {
    result.setupError = started.error();
    return result;
  }
  std::unique_ptr<LoopbackCapture> live;
  std::string liveError;
  if (options.liveCapture) live = LoopbackCapture::open("tcp port " + std::to_string(started.value()->port()), liveError);

  ClientConfig client;
  client.port = started.value()->port();
  client.tls = server.tls;
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.tcpMaxSegment = options.maxSegment;
  client.script = {ScriptStep::send(recordLabPayload(options.writeSize)), ScriptStep::expect(endMarker(options.writeSize))};
  result.client = runClient(client, options.observer);
  started.value()->stop();
  result.server = started.value()->finishedConnections();

  result.clientWrites = appDataSizes(result.client.events, true);
  if (const auto* events = serverEventsOf(result.client, result.server)) result.serverReads = appDataSizes(*events, false);
  if (live) {
    live->stop();
    std::string keys = keyLogText(result.client.events);
    if (const auto* events = serverEventsOf(result.client, result.server)) keys += keyLogText(*events);
    result.pcapng = live->pcapng(uniqueLines(keys));
    result.live = true;
    result.captureMethod = fmt::format("captured live on lo with libpcap; the client announced an MSS of {}", options.maxSegment);
  } else {
    result.pcapng = traceOfRun(result.legs(), "lab: records").pcapng;
    result.captureMethod = "the run's own pcapng, one TCP segment per socket write; " +
                           (options.liveCapture ? "no live capture: " + liveError
                                                : std::string("--capture (root) shows the kernel's own segments"));
  }
  return result;
}

}  // namespace tlslab::scenarios
