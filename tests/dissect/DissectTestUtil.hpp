#pragma once
// Test captures made the way a student makes them: a real OpenSSL LabServer
// and LabClient talk on loopback, and the client's wire tap becomes a pcapng
// with the run's key log embedded (endpoints::writeRunPcapng).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

namespace tlslab::test {

inline std::filesystem::path certsDir() { return sourceDir() / "certs"; }

inline endpoints::ServerConfig labServer(const std::string& entry = "bank32-rsa",
                                         endpoints::Service service = endpoints::Service::HttpsHello) {
  endpoints::ServerConfig config;
  config.chainFile = certsDir() / entry / "chain.pem";
  config.keyFile = certsDir() / entry / "key.pem";
  config.service = service;
  return config;
}

inline endpoints::ClientConfig labClient(std::uint16_t port) {
  endpoints::ClientConfig config;
  config.host = "bank32.com";
  config.port = port;
  config.trustFiles = {certsDir() / "root-ca" / "cert.pem"};
  return config;
}

inline std::string appDataOf(const std::vector<endpoints::Event>& events, bool sent) {
  std::string out;
  for (const auto& e : events)
    if (const auto* a = std::get_if<endpoints::AppDataEvent>(&e); a && a->sent == sent) out.append(a->bytes.begin(), a->bytes.end());
  return out;
}

struct Recorded {
  std::vector<endpoints::ClientRun> runs;
  Bytes pcapng;          // with the key log embedded
  Bytes pcapngNoKeys;    // the same packets, no Decryption Secrets Block
  std::string keyLog;
};

// Writes the runs' packets (and optionally their key log) as pcapng bytes.
inline Bytes toPcapng(const std::vector<endpoints::ClientRun>& runs, bool withKeys) {
  std::vector<endpoints::RecordedConnection> conns;
  for (const auto& run : runs) {
    std::vector<endpoints::Event> events;
    for (const auto& e : run.events)
      if (withKeys || !std::holds_alternative<endpoints::KeyLogEvent>(e)) events.push_back(e);
    conns.push_back({run.peers, events});
  }
  std::ostringstream out;
  const std::string err = endpoints::writeRunPcapng(out, conns);
  EXPECT_EQ(err, "");
  const std::string s = out.str();
  return Bytes(s.begin(), s.end());
}

// Runs each client config against one server; a config whose `resume` is
// flagged by `resumePrevious` resumes the previous run's session.
inline Recorded recordRuns(const endpoints::ServerConfig& serverConfig, std::vector<endpoints::ClientConfig> clients,
                           bool resumePrevious = false) {
  Recorded out;
  auto server = endpoints::LabServer::start(serverConfig);
  if (!server) {
    ADD_FAILURE() << server.error();
    return out;
  }
  for (auto& config : clients) {
    config.port = (*server)->port();
    if (resumePrevious && !out.runs.empty()) config.resume = out.runs.back().session;
    out.runs.push_back(endpoints::runClient(config));
    EXPECT_TRUE(out.runs.back().handshakeOk) << out.runs.back().error;
  }
  (*server)->stop();
  out.pcapng = toPcapng(out.runs, true);
  out.pcapngNoKeys = toPcapng(out.runs, false);
  for (const auto& run : out.runs) out.keyLog += endpoints::keyLogText(run.events);
  return out;
}

inline std::filesystem::path writeTemp(const Bytes& bytes, const std::string& name) {
  auto path = std::filesystem::temp_directory_path() / ("tlslab-dissect-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

inline std::string decrypted(const model::TraceConnection& conn, model::Direction direction) {
  std::string out;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == direction) out.append(chunk.data.begin(), chunk.data.end());
  return out;
}

inline bool finishedVerified(const model::TraceConnection& conn, const std::string& who) {
  for (const auto& step : conn.derivation)
    if (step.name == who + " Finished check") return step.status == model::StepStatus::Verified;
  return false;
}

}  // namespace tlslab::test
