#include "tlslab/scenarios/course/StudentPki.hpp"

#include <array>

#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::course {
namespace {

constexpr std::array<std::string_view, 24> kHostWords{
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "juniper", "kestrel", "lagoon",
    "maple", "nectar", "orchid", "prairie", "quartz", "river", "summit", "tundra", "upland", "valley", "willow", "zephyr"};

}  // namespace

std::string studentHost(const Variant& variant, std::string_view label) {
  std::string base(label);
  return "www." + std::string(variant.pick(base + "/word", kHostWords)) +
         std::to_string(variant.number(base + "/number", 1000, 9999)) + ".test";
}

pki::Result<IssuedServer> issueStudentServer(const std::filesystem::path& certsDir, const std::string& host) {
  auto caCert = pki::readCertificate(certsDir / "issuing-ca" / "cert.pem");
  if (!caCert) return pki::Result<IssuedServer>::failure(caCert.error());
  auto caKey = pki::readPrivateKey(certsDir / "issuing-ca" / "key.pem");
  if (!caKey) return pki::Result<IssuedServer>::failure(caKey.error());
  auto leaf = pki::issueLeaf("tlslab course", host, {host}, pki::Purpose::TlsServer, caCert.value().get(),
                             caKey.value().get());
  if (!leaf) return pki::Result<IssuedServer>::failure("issuing a certificate for " + host + ": " + leaf.error());
  IssuedServer out;
  out.host = host;
  out.chainPem = pki::certificatesPem({leaf.value().cert.get(), caCert.value().get()});
  out.keyPem = pki::privateKeyPem(leaf.value().key.get(), pki::teachingKeyHeader("a course server for " + host));
  if (out.chainPem.empty() || out.keyPem.empty())
    return pki::Result<IssuedServer>::failure("writing the certificate for " + host + " as PEM failed");
  return pki::Result<IssuedServer>::success(std::move(out));
}

}  // namespace tlslab::course
