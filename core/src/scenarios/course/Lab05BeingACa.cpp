// Lab 5 — Certificates and the chain of trust, and being a CA: the student
// makes a root and an intermediate with openssl, issues a certificate for
// their own host name, builds the hashed CA folder of the textbook, serves
// it; then explains how the bad-certificate gallery fails.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>

#include "CheckHelpers.hpp"
#include "Lab05Checks.hpp"
#include "Labs.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::course {
namespace {

using lab05::hostOf;

// Three gallery entries per student, each teaching a different check.
constexpr std::array<std::string_view, 10> kGalleryChoices{
    "expired", "not-yet-valid", "wrong-host", "self-signed", "untrusted-root", "incomplete-chain", "leaf-signed-leaf",
    "wildcard", "name-constraints", "wrong-eku"};

std::vector<std::string> galleryFor(const Variant& v) {
  std::vector<std::string_view> pool(kGalleryChoices.begin(), kGalleryChoices.end());
  std::vector<std::string> picked;
  for (int i = 0; i < 3; ++i) {
    auto index = v.number("gallery/" + std::to_string(i), 0, static_cast<std::uint32_t>(pool.size() - 1));
    picked.emplace_back(pool[index]);
    pool.erase(pool.begin() + index);
  }
  return picked;
}

// What a correct client concludes, verified now (not read from the catalog).
struct Expected {
  std::string error;  // "CERT_HAS_EXPIRED"
  int depth = -1;
};
std::optional<Expected> verifyGallery(const std::filesystem::path& certsDir, const std::string& name) {
  const pki::CatalogEntry* entry = pki::findEntry(name);
  if (entry == nullptr) return std::nullopt;
  auto verdict = pki::verifyEntry(certsDir, *entry, pki::clientOptions(*entry));
  if (!verdict || verdict->ok) return std::nullopt;
  std::string error = verdict->errorName;
  if (error.rfind("X509_V_ERR_", 0) == 0) error.erase(0, 11);
  return Expected{error, verdict->errorDepth};
}

CheckResult checkGalleryAnswer(const CheckEnv& env, int index) {
  const std::string name = galleryFor(*env.variant)[index];
  const std::string key = "gallery_" + std::to_string(index + 1);
  auto expected = verifyGallery(env.certsDir, name);
  if (!expected) return skipped("the gallery entry " + name + " did not fail verification here: certs/ is damaged?");
  std::string answer = env.answer(key)->value;
  std::transform(answer.begin(), answer.end(), answer.begin(), [](unsigned char c) { return std::toupper(c); });
  // "X509_V_ERR_INVALID_CA at depth 1", "invalid_ca @1", "INVALID_CA (depth 1)": an error
  // name (a word with '_') and a depth (the number after "depth", else the last one).
  const std::string cleaned = std::regex_replace(answer, std::regex("X509_V_ERR_"), "");
  static const std::regex errorWord("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"), depthWord("DEPTH\\D{0,3}([0-9]+)"),
      number("(?:^|[^A-Z0-9_])([0-9]+)");
  std::string saidError;
  for (std::sregex_iterator it(cleaned.begin(), cleaned.end(), errorWord), end;
       it != end && saidError.empty(); ++it)
    saidError = it->str();
  std::smatch depth;
  bool depthGiven = std::regex_search(cleaned, depth, depthWord);
  if (!depthGiven) {
    for (std::sregex_iterator it(cleaned.begin(), cleaned.end(), number), end; it != end; ++it) {
      depth = *it;
      depthGiven = true;
    }
  }
  const bool rightError = saidError == expected->error;
  const bool rightDepth = depthGiven && std::stoi(depth[1].str()) == expected->depth;
  const std::string verifyCmd = "`tlslab certs verify " + name + "` shows OpenSSL's verification depth by depth";
  if (rightError && rightDepth)
    return pass(expected->error + " at depth " + std::to_string(expected->depth) + ", as OpenSSL reports it now");
  if (rightError && !depthGiven) return fail("right error; now say at which depth", "depth 0 is the server's own certificate, 1 the CA above it");
  if (rightError)
    return fail("right error, wrong depth", "depth 0 is the server's own certificate, 1 the CA that signed it: " + verifyCmd);
  if (saidError.empty()) return fail("write the error's name, e.g. CERT_HAS_EXPIRED at depth 0", verifyCmd);
  return fail(saidError + " is not what a correct client reports for " + name, verifyCmd);
}

// Empty folders for the student's files, and host.txt so that every command
// of the tutorial works unchanged for every student: HOST=$(cat host.txt).
std::string makeFolders(const MaterialsEnv& env) {
  std::error_code ec;
  for (const char* dir : {"ca", "server", "cert"}) std::filesystem::create_directories(env.workspace / dir, ec);
  if (ec) return "cannot make the ca/, server/ and cert/ folders: " + ec.message();
  std::ofstream host(env.workspace / "host.txt", std::ios::trunc);
  host << hostOf(*env.variant) << "\n";
  return host ? std::string{} : "cannot write host.txt";
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 5;
  lab.slug = "being-a-ca";
  lab.title = "Certificates, the chain of trust, and being a CA";
  lab.goal = "Become a certificate authority: make a root and an intermediate, issue a certificate for your own "
             "host name, serve it, and explain why each bad certificate of the gallery fails.";
  lab.minutes = 90;
  lab.tutorial = "05-being-a-ca.md";
  lab.hints = {
      "Work in the order of the chain: root (self-signed), intermediate (signed by the root), server (signed by "
      "the intermediate). `openssl x509 -in FILE -noout -text` shows what you made.",
      "A CA needs basicConstraints CA:TRUE and keyUsage keyCertSign; `openssl req -x509` makes a self-signed one, "
      "`openssl x509 -req -CA … -CAkey … -extfile FILE` signs a CSR with the extensions in FILE.",
      "Clients read the host name from subjectAltName only (RFC 6125 §6.4.4): put DNS:<your host> there; the CN "
      "is not enough.",
      "The hashed folder's file name is `openssl x509 -in ca/root.crt -noout -subject_hash` followed by .0.",
      "For the gallery: `tlslab certs verify NAME` prints each depth and the first error a client stops at.",
  };
  lab.personal = [](const Variant& v) {
    auto gallery = galleryFor(v);
    return std::vector<std::string>{
        "Your host name (the certificate you issue must be for it; also in host.txt): `" + hostOf(v) + "`",
        "Your gallery entries to explain (answers gallery_1..3): `" + gallery[0] + "`, `" + gallery[1] + "`, `" +
            gallery[2] + "`"};
  };
  lab.materials = makeFolders;
  lab.checks = {
      {"root_ca", "ca/root.crt: your self-signed root CA", "", false, lab05::checkRoot},
      {"intermediate_ca", "ca/intermediate.crt: a CA signed by your root", "", false, lab05::checkIntermediate},
      {"server_certificate", "server/server.crt: for your host name, signed by your intermediate", "", false,
       lab05::checkServerCertificate},
      {"server_key", "server/server.key matches the certificate", "", false, lab05::checkServerKey},
      {"chain_file", "server/chain.pem verifies up to your root", "", false, lab05::checkChainFile},
      {"hashed_dir", "cert/ holds your root under its subject hash", "", false, lab05::checkHashedDir},
      {"served", "a correct client trusting only cert/ accepts your server", "", false, lab05::checkServed},
  };
  // Three gallery entries per student: the questions name this student's own.
  for (int i = 0; i < 3; ++i) {
    static const std::array<std::string, 3> keys{"gallery_1", "gallery_2", "gallery_3"};
    lab.questions.push_back(
        {keys[i], "The error a correct client reports for your gallery entry, and its depth",
         "the error's name and its depth, e.g. CERT_HAS_EXPIRED at depth 0",
         [i](const Variant& v) {
           const pki::CatalogEntry* entry = pki::findEntry(galleryFor(v)[i]);
           return entry ? std::string(pki::verifyErrorName(entry->expectedError)).substr(11) + " at depth " +
                              std::to_string(entry->expectedDepth)
                        : std::string();
         },
         [i](const Variant& v) {
           return "Your gallery entry " + std::to_string(i + 1) + " is `" + galleryFor(v)[i] +
                  "`: which error does a correct client report for it, and at which depth?";
         }});
    static const std::array<std::string, 3> titles{"why your gallery entry 1 fails", "why your gallery entry 2 fails",
                                                   "why your gallery entry 3 fails"};
    lab.checks.push_back({keys[i], titles[i], keys[i], false,
                          [i](const CheckEnv& env) { return checkGalleryAnswer(env, i); }});
  }
  return lab;
}

}  // namespace

const LabDefinition& lab05BeingACa() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
