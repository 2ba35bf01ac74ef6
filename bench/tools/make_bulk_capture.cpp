// Writes the large capture the dissect-vs-tshark bench reads: real lab runs on
// loopback (TLS 1.3 and TLS 1.2 connections moving bulk data both ways, plus
// many short handshakes), turned into one pcapng with the key log embedded.
//
//   tlslab_make_bulk_capture OUT.pcapng [MEGABYTES]   (default 200)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/util/Paths.hpp"

using namespace tlslab::endpoints;

namespace {

std::unique_ptr<LabServer> startServer(TlsVersion version, const char* suites) {
  ServerConfig config;
  config.chainFile = tlslab::certsDir() / "bank32-ecdsa" / "chain.pem";
  config.keyFile = tlslab::certsDir() / "bank32-ecdsa" / "key.pem";
  config.service = Service::Echo;
  config.tls.minVersion = config.tls.maxVersion = version;
  if (version == TlsVersion::Tls1_3) config.tls.cipherSuites = suites;
  else config.tls.cipherList = suites;
  auto server = LabServer::start(config);
  if (!server) {
    std::cerr << "cannot start a lab server: " << server.error() << "\n";
    std::exit(1);
  }
  return std::move(server.value());
}

RecordedConnection runOne(const LabServer& server, TlsVersion version, std::size_t bulkBytes) {
  ClientConfig client;
  client.host = "bank32.com";
  client.port = server.port();
  client.tls.minVersion = client.tls.maxVersion = version;
  client.trustFiles = {tlslab::certsDir() / "root-ca" / "cert.pem"};
  client.ioTimeoutMs = 30000;
  // 64 KiB pieces, each echoed back: the data crosses the wire both ways.
  const std::string piece(64 * 1024, 'd');
  for (std::size_t sent = 0; sent < bulkBytes; sent += piece.size())
    client.script.insert(client.script.end(), {ScriptStep::send(piece), ScriptStep::expect(piece)});
  if (client.script.empty()) client.script = {ScriptStep::send("ping"), ScriptStep::expect("ping")};
  ClientRun run = runClient(client);
  if (!run.scriptOk) {
    std::cerr << "a lab run failed: " << run.error << "\n";
    std::exit(1);
  }
  return {run.peers, std::move(run.events)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tlslab_make_bulk_capture OUT.pcapng [MEGABYTES]\n";
    return 2;
  }
  const std::size_t megabytes = argc > 2 ? std::stoul(argv[2]) : 200;
  const std::size_t bulkPerConnection = 1024 * 1024;  // each way
  const std::size_t bulkConnections = megabytes / 2;    // ~2 MiB of records per connection
  const std::size_t shortHandshakes = megabytes * 5;
  auto tls13 = startServer(TlsVersion::Tls1_3, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256");
  auto tls12 = startServer(TlsVersion::Tls1_2, "ECDHE-ECDSA-AES128-GCM-SHA256");
  std::vector<RecordedConnection> connections;
  for (std::size_t i = 0; i < bulkConnections; ++i)
    connections.push_back(i % 3 == 2 ? runOne(*tls12, TlsVersion::Tls1_2, bulkPerConnection)
                                     : runOne(*tls13, TlsVersion::Tls1_3, bulkPerConnection));
  for (std::size_t i = 0; i < shortHandshakes; ++i)
    connections.push_back(i % 2 == 0 ? runOne(*tls13, TlsVersion::Tls1_3, 0) : runOne(*tls12, TlsVersion::Tls1_2, 0));
  tls13->stop();
  tls12->stop();
  std::ofstream out(argv[1], std::ios::binary);
  if (auto err = writeRunPcapng(out, connections); !err.empty() || !out) {
    std::cerr << "cannot write " << argv[1] << ": " << (err.empty() ? "write error" : err) << "\n";
    return 1;
  }
  std::cout << "wrote " << argv[1] << ": " << connections.size() << " connections (" << bulkConnections
            << " bulk, " << shortHandshakes << " short handshakes)\n";
  return 0;
}
