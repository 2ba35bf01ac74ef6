#include "tlslab/endpoints/MitmProxy.hpp"

#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "Ossl.hpp"
#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::endpoints {

const char* attackerCertificateName(AttackerCertificate strategy) {
  switch (strategy) {
    case AttackerCertificate::AttackerOwn: return "attacker-own";
    case AttackerCertificate::SelfSigned: return "self-signed";
    case AttackerCertificate::RogueSigned: return "rogue-ca";
    case AttackerCertificate::ForgedOnTheFly: return "forged";
    case AttackerCertificate::LeafSignedLeaf: return "leaf-signed-leaf";
    default: return "unknown";
  }
}

const char* attackerCertificateDescription(AttackerCertificate strategy) {
  switch (strategy) {
    case AttackerCertificate::AttackerOwn: return "its own valid certificate for attacker32.com (trusted lab CA)";
    case AttackerCertificate::SelfSigned: return "a self-signed certificate claiming bank32.com";
    case AttackerCertificate::RogueSigned: return "a bank32.com certificate issued by the Rogue CA";
    case AttackerCertificate::ForgedOnTheFly: return "the real certificate's names copied into a fresh Rogue CA leaf";
    case AttackerCertificate::LeafSignedLeaf: return "bank32.com signed by the attacker32.com leaf (CA:FALSE)";
    default: return "unknown";
  }
}

std::vector<AttackerCertificate> allAttackerCertificates() {
  return {AttackerCertificate::AttackerOwn, AttackerCertificate::SelfSigned, AttackerCertificate::RogueSigned,
          AttackerCertificate::ForgedOnTheFly, AttackerCertificate::LeafSignedLeaf};
}

namespace {

using BioPtr = std::unique_ptr<BIO, pki::OsslDeleter<BIO_free>>;

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// The folder of the lab PKI that holds each prepared strategy's chain.
const char* chainDir(AttackerCertificate strategy) {
  switch (strategy) {
    case AttackerCertificate::AttackerOwn: return "attacker32";
    case AttackerCertificate::SelfSigned: return "gallery/self-signed";
    case AttackerCertificate::RogueSigned: return "gallery/untrusted-root";
    case AttackerCertificate::LeafSignedLeaf: return "gallery/leaf-signed-leaf";
    case AttackerCertificate::ForgedOnTheFly:
    default: return nullptr;
  }
}

// What interception proxies do: look at the real certificate, mint a lookalike.
std::string forgeFromRealServer(const MitmConfig& config, std::string& chainPem, std::string& keyPem) {
  ClientConfig probe;
  probe.host = config.targetHost;
  probe.resolver.set(config.targetHost, config.targetAddress);
  probe.port = config.targetPort;
  probe.verifyMode = VerifyMode::None;
  ClientRun run = runClient(probe);
  if (!run.handshakeOk || run.negotiated.peerChainDer.empty())
    return "could not fetch the real certificate to forge: " + run.error;
  const Bytes& der = run.negotiated.peerChainDer.front();
  const unsigned char* p = der.data();
  pki::X509Ptr original(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  auto caCert = pki::readCertificate(config.certsDir / "rogue-ca" / "cert.pem");
  auto caKey = pki::readPrivateKey(config.certsDir / "rogue-ca" / "key.pem");
  if (!original || !caCert || !caKey) return "cannot load the Rogue CA to forge with";
  pki::EvpPkeyPtr leafKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  auto forged = pki::forgeLeaf(original.get(), caCert->get(), caKey->get(), leafKey.get());
  if (!forged) return "forging failed: " + forged.error();
  BioPtr certBio(BIO_new(BIO_s_mem())), keyBio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(certBio.get(), forged->get());
  PEM_write_bio_PrivateKey(keyBio.get(), leafKey.get(), nullptr, nullptr, 0, nullptr, nullptr);
  chainPem = bioText(certBio.get());
  keyPem = bioText(keyBio.get());
  return {};
}

}  // namespace

pki::Result<std::unique_ptr<MitmProxy>> MitmProxy::start(const MitmConfig& config, Observer observer) {
  using R = pki::Result<std::unique_ptr<MitmProxy>>;
  ServerConfig server;
  server.address = config.listenAddress;
  server.port = config.listenPort;
  server.service = Service::Relay;
  server.role = Role::ProxyFront;
  server.tls = config.tls;
  server.ioTimeoutMs = config.ioTimeoutMs;
  server.window = config.window;
  server.relay.window = config.window;
  if (const char* dir = chainDir(config.certificate)) {
    server.chainPem = readFile(config.certsDir / dir / "chain.pem");
    server.keyPem = readFile(config.certsDir / dir / "key.pem");
    if (server.chainPem.empty()) return R::failure("missing " + (config.certsDir / dir / "chain.pem").string());
  } else if (auto err = forgeFromRealServer(config, server.chainPem, server.keyPem); !err.empty()) {
    return R::failure(err);
  }
  // The proxy's own leg: a careful client of the real server (attackers verify too).
  server.relay.host = config.targetHost;
  server.relay.resolver.set(config.targetHost, config.targetAddress);
  server.relay.port = config.targetPort;
  server.relay.verifyMode = VerifyMode::ChainAndHost;
  server.relay.trustFiles = {config.trustFile.empty() ? config.certsDir / "root-ca" / "cert.pem" : config.trustFile};
  server.relay.tls = config.tls;
  server.relay.ioTimeoutMs = config.ioTimeoutMs;
  std::string chain = server.chainPem;
  auto started = LabServer::start(server, std::move(observer));
  if (!started) return R::failure("the proxy cannot start: " + started.error());
  return R::success(std::unique_ptr<MitmProxy>(new MitmProxy(std::move(started.value()), std::move(chain))));
}

}  // namespace tlslab::endpoints
