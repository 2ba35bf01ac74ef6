#pragma once
// Certificates the course makes for one student: a server certificate for the
// student's own host name, issued by the lab's Issuing CA (whose key is public
// teaching material in certs/issuing-ca/), so a lab client that trusts the lab
// root accepts it for that name and no other.
#include <filesystem>
#include <string>

#include "tlslab/pki/Result.hpp"
#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::course {

// "www.velvet4812.test" (RFC 2606 reserves .test): one per student and label.
std::string studentHost(const Variant& variant, std::string_view label = "host");

struct IssuedServer {
  std::string host;
  std::string chainPem;  // leaf (SAN DNS:host, serverAuth) + Issuing CA
  std::string keyPem;    // fresh P-256 key, PKCS#8 with the teaching-material header
};
pki::Result<IssuedServer> issueStudentServer(const std::filesystem::path& certsDir, const std::string& host);

}  // namespace tlslab::course
