#include "tlslab/scenarios/GalleryLab.hpp"

#include <openssl/x509_vfy.h>

#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

bool GalleryResult::asExpected() const {
  if (entry == nullptr || !setupError.empty()) return false;
  return correct.verify.errorCode == entry->expectedError && correct.verify.errorDepth == entry->expectedDepth &&
         correct.scriptOk == (entry->expectedError == 0);
}

namespace {

ClientRun connect(const pki::CatalogEntry& entry, const std::filesystem::path& certsDir, std::uint16_t port,
                  VerifyMode mode, const Observer& observer) {
  ClientConfig config;
  config.host = std::string(entry.host);
  config.port = port;
  config.verifyMode = mode;
  config.trustFiles = {certsDir / "root-ca" / "cert.pem"};
  if (entry.checkCrl && mode == VerifyMode::ChainAndHost) config.crlFiles = {certsDir / "issuing-ca" / std::string(pki::kCrlFile)};
  config.script = {ScriptStep::send("GET / HTTP/1.0\r\nHost: " + config.host + "\r\n\r\n"), ScriptStep::expect("</html>")};
  return runClient(config, observer);
}

}  // namespace

const char* chainOnlyBlindSpot(const pki::CatalogEntry& entry) {
  if (entry.expectedError == X509_V_ERR_HOSTNAME_MISMATCH) return "it never compares names";
  if (entry.checkCrl) return "it loads no CRL, so it never learns of the revocation";
  return "";
}

GalleryResult runGalleryEntry(const pki::CatalogEntry& entry, const std::filesystem::path& certsDir, Observer observer) {
  GalleryResult result;
  result.entry = &entry;
  ServerConfig server;
  server.chainFile = certsDir / std::string(entry.dir) / std::string(pki::kChainFile);
  server.keyFile = certsDir / std::string(entry.dir) / std::string(pki::kKeyFile);
  server.siteName = std::string(entry.host);
  server.securityLevel = 0;  // present even the weak entries; the client judges them
  auto started = LabServer::start(server, observer);
  if (!started) {
    result.setupError = started.error();
    return result;
  }
  result.correct = connect(entry, certsDir, (*started)->port(), VerifyMode::ChainAndHost, observer);
  result.chainOnly = connect(entry, certsDir, (*started)->port(), VerifyMode::ChainOnly, observer);
  (*started)->stop();
  return result;
}

std::vector<GalleryResult> runGallery(const std::filesystem::path& certsDir, Observer observer) {
  std::vector<GalleryResult> results;
  for (const auto& entry : pki::catalog())
    if (entry.kind == pki::EntryKind::Gallery) results.push_back(runGalleryEntry(entry, certsDir, observer));
  return results;
}

}  // namespace tlslab::scenarios
