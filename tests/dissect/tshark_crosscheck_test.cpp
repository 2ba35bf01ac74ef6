// Cross-check with an independent decoder (STYLE practice 9): tshark opens the
// same capture with the key log embedded in it, and the application data it
// decrypts must equal tlslab's, record for record and in the same order.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "DissectTestUtil.hpp"
#include "support/Process.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;

namespace {

struct Piece {
  bool fromServer = false;
  std::string hex;
  bool operator==(const Piece&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Piece& p) {
  return os << (p.fromServer ? "S " : "C ") << p.hex.substr(0, 24) << (p.hex.size() > 24 ? "..." : "") << " ("
            << p.hex.size() / 2 << " bytes)";
}

// `tshark -z follow,tls,raw,0`: one hex line per decrypted record; lines of
// "Node 1" (whoever sent application data second: the server in TLS 1.2, the
// client in TLS 1.3, where the server's NewSessionTicket comes first) are
// indented with a tab.
std::vector<Piece> tsharkRecords(const std::filesystem::path& file, std::uint16_t port) {
  auto result = test::run("tshark -r " + file.string() + " -d tcp.port==" + std::to_string(port) +
                          ",tls -q -z follow,tls,raw,0 2>/dev/null");
  std::vector<Piece> out;
  std::istringstream in(result.out);
  std::string line;
  bool body = false;
  bool node0IsServer = false;
  const std::string serverSuffix = ":" + std::to_string(port);
  while (std::getline(in, line)) {
    if (line.rfind("Node 0:", 0) == 0) {
      node0IsServer = line.size() >= serverSuffix.size() &&
                      line.compare(line.size() - serverSuffix.size(), serverSuffix.size(), serverSuffix) == 0;
    }
    if (line.rfind("Node 1:", 0) == 0) { body = true; continue; }
    if (!body || line.empty()) continue;
    if (line[0] == '=') break;
    const bool server = (line[0] == '\t') != node0IsServer;
    out.push_back({server, line[0] == '\t' ? line.substr(1) : line});
  }
  return out;
}

std::vector<Piece> tlslabRecords(const model::TraceConnection& conn) {
  std::vector<Piece> out;
  for (const auto& r : conn.records) {
    if (r.innerContentType != 23 || r.plaintext.empty()) continue;
    out.push_back({r.direction == model::Direction::ServerToClient, toHex(r.plaintext)});
  }
  return out;
}

struct CrossCase {
  const char* name;
  TlsVersion version;
  const char* cipher;
};

class TsharkCrossCheck : public ::testing::TestWithParam<CrossCase> {};

TEST_P(TsharkCrossCheck, SameApplicationDataRecordForRecord) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  const CrossCase& c = GetParam();
  auto server = test::labServer("bank32-rsa", endpoints::Service::Echo);
  endpoints::ClientConfig client = test::labClient(0);
  for (auto* tls : {&server.tls, &client.tls}) {
    tls->minVersion = tls->maxVersion = c.version;
    if (c.version == TlsVersion::Tls1_3) tls->cipherSuites = c.cipher;
    else tls->cipherList = c.cipher;
  }
  client.script = {ScriptStep::send("first line\n"), ScriptStep::expect("first line\n"),
                   ScriptStep::send(std::string(3000, 'x') + "\n"), ScriptStep::expect("x\n"),
                   ScriptStep::send("last line\n"), ScriptStep::expect("last line\n")};
  auto rec = test::recordRuns(server, {client});
  ASSERT_TRUE(rec.runs[0].scriptOk) << rec.runs[0].error;
  auto file = test::writeTemp(rec.pcapng, std::string(c.name) + ".pcapng");
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(file, keys);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  auto ours = tlslabRecords(trace->connections[0]);
  auto theirs = tsharkRecords(file, rec.runs[0].peers.serverPort);
  std::filesystem::remove(file);
  EXPECT_GE(ours.size(), 6u);
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(
    Suites, TsharkCrossCheck,
    ::testing::Values(CrossCase{"Tls13Aes128Gcm", TlsVersion::Tls1_3, "TLS_AES_128_GCM_SHA256"},
                      CrossCase{"Tls13ChaCha20", TlsVersion::Tls1_3, "TLS_CHACHA20_POLY1305_SHA256"},
                      CrossCase{"Tls12EcdheGcm", TlsVersion::Tls1_2, "ECDHE-RSA-AES256-GCM-SHA384"},
                      CrossCase{"Tls12EcdheCbc", TlsVersion::Tls1_2, "ECDHE-RSA-AES128-SHA"},
                      CrossCase{"Tls12RsaGcm", TlsVersion::Tls1_2, "AES128-GCM-SHA256"}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
