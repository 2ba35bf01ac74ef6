#pragma once
// The attacker of the MITM lab: a proxy on its own loopback address that
// terminates the victim's TLS with a certificate of its choice, opens its own
// TLS connection to the real server and relays, recording both legs (so it
// sees, and logs, everything the victim sends).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::endpoints {

// What the proxy shows the victim (tutorials/03-mitm.md explains each).
enum class AttackerCertificate {
  AttackerOwn,     // its own valid certificate for attacker32.com, from the trusted lab CA
  SelfSigned,      // a self-signed certificate claiming bank32.com
  RogueSigned,     // bank32.com issued by the untrusted Rogue CA
  ForgedOnTheFly,  // the real server's subject and SANs copied into a fresh Rogue-CA leaf
  LeafSignedLeaf,  // bank32.com "issued" by the attacker32.com leaf (CA:FALSE)
};
const char* attackerCertificateName(AttackerCertificate strategy);  // short name, e.g. "attacker-own"
const char* attackerCertificateDescription(AttackerCertificate strategy);
std::vector<AttackerCertificate> allAttackerCertificates();

struct MitmConfig {
  std::string listenAddress = "127.0.0.66";  // where the poisoned resolver sends the victim
  std::uint16_t listenPort = 0;
  std::string targetHost = "bank32.com";      // the real server, as the proxy reaches it
  std::string targetAddress = "127.0.0.1";
  std::uint16_t targetPort = 0;
  AttackerCertificate certificate = AttackerCertificate::AttackerOwn;
  std::filesystem::path certsDir;  // the lab PKI (certs/)
  std::filesystem::path trustFile; // what the proxy trusts for its own upstream leg
  TlsOptions tls;
  int ioTimeoutMs = 5000;
  EventWindow window;  // how much of each leg's events are kept
};

class MitmProxy {
 public:
  static pki::Result<std::unique_ptr<MitmProxy>> start(const MitmConfig& config, Observer observer = {});
  std::uint16_t port() const { return server_->port(); }
  void stop() { server_->stop(); }
  // One per victim connection: the victim leg in `events`, the proxy's own
  // leg to the real server in `upstream`.
  std::vector<ServerConnection> sessions() const { return server_->finishedConnections(); }
  std::size_t sessionCount() const { return server_->finishedCount(); }
  // The sessions not taken yet, handed over and forgotten (LabServer::takeFinished).
  std::vector<ServerConnection> takeSessions() { return server_->takeFinished(); }
  // The certificate chain the proxy presents, PEM (forged ones included).
  const std::string& presentedChainPem() const { return chainPem_; }

 private:
  MitmProxy(std::unique_ptr<LabServer> server, std::string chainPem)
      : server_(std::move(server)), chainPem_(std::move(chainPem)) {}
  std::unique_ptr<LabServer> server_;
  std::string chainPem_;
};

}  // namespace tlslab::endpoints
