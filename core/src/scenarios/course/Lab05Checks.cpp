#include "Lab05Checks.hpp"

#include <algorithm>
#include <filesystem>

#include "CheckHelpers.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/pki/Inspect.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/Verify.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course::lab05 {
namespace fs = std::filesystem;
using pki::CertificateFacts;

namespace {

const char* kRoot = "ca/root.crt";
const char* kIntermediate = "ca/intermediate.crt";
const char* kServerCert = "server/server.crt";
const char* kServerKey = "server/server.key";
const char* kChain = "server/chain.pem";

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The certificate in `relative`, or the failure that says why there is none.
struct Loaded {
  pki::X509Ptr cert;
  CheckResult problem;
};
Loaded load(const CheckEnv& env, const char* relative, const char* makeIt) {
  Loaded l;
  std::error_code ec;
  if (!fs::exists(env.workspace / relative, ec)) {
    l.problem = fail(std::string("there is no ") + relative + " in your workspace", makeIt);
    l.problem.verdict = Verdict::Missing;
    return l;
  }
  auto read = pki::readCertificate(env.workspace / relative);
  if (!read) {
    l.problem = fail(std::string(relative) + " is not a PEM certificate: " + read.error(),
                     "it should start with -----BEGIN CERTIFICATE----- (openssl writes PEM by default)");
    return l;
  }
  l.cert = std::move(read.value());
  return l;
}

// What a CA certificate must say (RFC 5280 §4.2.1.9, §4.2.1.3), or "".
std::string caProblem(const CertificateFacts& f, const char* file) {
  if (!f.ca) return std::string(file) + " has no basicConstraints extension: nothing says it may act as a CA";
  if (!*f.ca) return std::string(file) + " says basicConstraints CA:FALSE: it may not sign certificates";
  if (!f.keyUsage.empty() && !has(f.keyUsage, "keyCertSign"))
    return std::string(file) + " has a keyUsage without keyCertSign: it may not sign certificates";
  if (!f.validNow) return std::string(file) + " is not valid now (" + f.notBefore + " to " + f.notAfter + ")";
  return {};
}

constexpr const char* kCaHint =
    "add -addext \"basicConstraints=critical,CA:TRUE\" -addext \"keyUsage=critical,keyCertSign,cRLSign\" "
    "(or the same lines in the -extfile of `openssl x509 -req`)";

}  // namespace

std::string hostOf(const Variant& variant) { return studentHost(variant, "ca-host"); }

CheckResult checkRoot(const CheckEnv& env) {
  Loaded root = load(env, kRoot, "make your root CA first (step 1 of the tutorial)");
  if (!root.cert) return root.problem;
  CertificateFacts f = pki::certificateFacts(root.cert.get());
  if (!f.selfIssued)
    return fail("ca/root.crt is issued by " + f.issuer + ", not by itself: a root is self-signed",
                "make it with `openssl req -x509 …`, which signs the certificate with its own key");
  if (!pki::signatureVerifiesWith(root.cert.get(), root.cert.get()))
    return fail("ca/root.crt names itself as issuer but its signature does not verify with its own key",
                "re-make it with `openssl req -x509 -new -key ca/root.key …`");
  if (auto problem = caProblem(f, kRoot); !problem.empty()) return fail(problem, kCaHint);
  return pass("a self-signed CA: " + f.subject + " (" + f.key + ")");
}

CheckResult checkIntermediate(const CheckEnv& env) {
  Loaded root = load(env, kRoot, "make your root CA first");
  Loaded mid = load(env, kIntermediate, "make the intermediate CA (step 2) and sign it with your root");
  if (!mid.cert) return mid.problem;
  if (!root.cert) return root.problem;
  CertificateFacts f = pki::certificateFacts(mid.cert.get());
  if (f.selfIssued) return fail("ca/intermediate.crt is self-signed: it must be signed by your root", "sign its CSR with `openssl x509 -req -CA ca/root.crt -CAkey ca/root.key …`");
  if (!pki::signatureVerifiesWith(mid.cert.get(), root.cert.get()))
    return fail("ca/intermediate.crt is not signed by ca/root.crt (its issuer is " + f.issuer + ")",
                "sign it with -CA ca/root.crt -CAkey ca/root.key");
  if (auto problem = caProblem(f, kIntermediate); !problem.empty())
    return fail(problem, "give the intermediate basicConstraints=critical,CA:TRUE,pathlen:0 and keyUsage=critical,keyCertSign,cRLSign");
  std::string detail = "signed by your root, may sign certificates";
  if (f.pathLength) detail += ", pathlen " + std::to_string(*f.pathLength) + " (it may sign leaves only)";
  return pass(detail);
}

CheckResult checkServerCertificate(const CheckEnv& env) {
  const std::string host = hostOf(*env.variant);
  Loaded leaf = load(env, kServerCert, "issue your server certificate (step 3)");
  if (!leaf.cert) return leaf.problem;
  CertificateFacts f = pki::certificateFacts(leaf.cert.get());
  if (!has(f.dnsNames, host)) {
    std::string names = f.dnsNames.empty() ? "no subjectAltName at all" : "subjectAltName " + f.dnsNames.front();
    return fail("server/server.crt has " + names + ", but your host name is " + host +
                    (f.commonName == host ? " (only in the CN, which clients no longer read: RFC 6125 §6.4.4)" : ""),
                "add -extfile with subjectAltName=DNS:" + host + " when you sign it (README.md gives your host name)");
  }
  if (f.ca && *f.ca) return fail("server/server.crt says CA:TRUE: a server certificate must not be a CA", "use basicConstraints=critical,CA:FALSE");
  if (!f.extendedKeyUsage.empty() && !has(f.extendedKeyUsage, "serverAuth"))
    return fail("its extendedKeyUsage does not include serverAuth: TLS clients refuse it (X509_V_ERR_INVALID_PURPOSE)",
                "use extendedKeyUsage=serverAuth");
  if (!f.keyUsage.empty() && !has(f.keyUsage, "digitalSignature"))
    return fail("its keyUsage lacks digitalSignature: the server could not sign its handshake (TLS 1.3 CertificateVerify)",
                "use keyUsage=critical,digitalSignature");
  if (!f.validNow) return fail("server/server.crt is not valid now (" + f.notBefore + " to " + f.notAfter + ")", "give it -days 825 or so");
  Loaded mid = load(env, kIntermediate, "");
  if (mid.cert && !pki::signatureVerifiesWith(leaf.cert.get(), mid.cert.get()))
    return fail("server/server.crt is not signed by your intermediate (its issuer is " + f.issuer + ")",
                "sign its CSR with -CA ca/intermediate.crt -CAkey ca/intermediate.key");
  return pass("for " + host + ", not a CA" + (f.extendedKeyUsage.empty() ? "" : ", serverAuth") + ", signed by your intermediate");
}

CheckResult checkServerKey(const CheckEnv& env) {
  Loaded leaf = load(env, kServerCert, "issue your server certificate first");
  if (!leaf.cert) return leaf.problem;
  auto key = pki::readPrivateKey(env.workspace / kServerKey);
  if (!key) return fail("server/server.key cannot be read as a private key: " + key.error(), "it is the -keyout of your server's `openssl req`");
  if (!pki::keyMatchesCertificate(leaf.cert.get(), key.value().get()))
    return fail("server/server.key is not the key of server/server.crt", "sign the CSR made with this key, or use the key the CSR was made with");
  return pass("the key belongs to the certificate");
}

CheckResult checkChainFile(const CheckEnv& env) {
  const std::string host = hostOf(*env.variant);
  auto certs = pki::readCertificates(env.workspace / kChain);
  if (!certs) {
    CheckResult r = fail("server/chain.pem: " + certs.error(), "cat server/server.crt ca/intermediate.crt > server/chain.pem");
    std::error_code ec;
    if (!fs::exists(env.workspace / kChain, ec)) r.verdict = Verdict::Missing;
    return r;
  }
  if (certs->size() < 2)
    return fail("server/chain.pem holds only one certificate: a client that trusts only your root cannot link it",
                "append the intermediate: cat server/server.crt ca/intermediate.crt > server/chain.pem");
  CertificateFacts first = pki::certificateFacts(certs->front().get());
  if (first.ca && *first.ca) return fail("server/chain.pem starts with a CA certificate: the server's own comes first (RFC 8446 §4.4.2)", "leaf first, then the intermediate");
  auto store = pki::makeTrustStoreFrom({env.workspace / kRoot});
  if (!store) return fail("your root cannot be used as a trust anchor: " + store.error(), "fix ca/root.crt first");
  pki::VerifyOptions options;
  options.host = host;
  auto verdict = pki::verifyChainFileIn(store->get(), env.workspace / kChain, options);
  if (!verdict) return fail(verdict.error(), "");
  if (!verdict->ok)
    return fail("OpenSSL does not accept the chain for " + host + ": " + verdict->errorName + " at depth " +
                    std::to_string(verdict->errorDepth) + " (" + verdict->errorText + ")",
                "`openssl verify -CAfile ca/root.crt -untrusted ca/intermediate.crt server/server.crt` shows the same");
  return pass("verifies from the leaf for " + host + " up to your root, " + std::to_string(verdict->steps.size()) + " certificates");
}

CheckResult checkHashedDir(const CheckEnv& env) {
  Loaded root = load(env, kRoot, "make your root CA first");
  if (!root.cert) return root.problem;
  const std::string hash = pki::subjectHashName(root.cert.get());
  const fs::path expected = env.workspace / "cert" / (hash + ".0");
  std::error_code ec;
  if (!fs::exists(expected, ec)) {
    std::vector<std::string> present;
    for (const auto& e : fs::directory_iterator(env.workspace / "cert", ec)) present.push_back(e.path().filename().string());
    CheckResult r = fail("cert/ has no " + hash + ".0" + (present.empty() ? " (it is empty)" : " (it has " + present.front() + (present.size() > 1 ? ", …)" : ")")),
                         "the name is the subject hash: cp ca/root.crt cert/$(openssl x509 -in ca/root.crt -noout -subject_hash).0");
    return r;
  }
  auto there = pki::readCertificate(expected);
  if (!there || X509_cmp(there.value().get(), root.cert.get()) != 0)
    return fail("cert/" + hash + ".0 is not your root certificate", "copy ca/root.crt there");
  return pass("cert/" + hash + ".0 is your root: OpenSSL finds it by the hash of the issuer name it looks for");
}

CheckResult checkServed(const CheckEnv& env) {
  const std::string host = hostOf(*env.variant);
  std::error_code ec;
  for (const char* f : {kChain, kServerKey})
    if (!fs::exists(env.workspace / f, ec)) return {{}, {}, Verdict::Missing, std::string("no ") + f + " yet", "make it first", {}};
  env.say("serving your server/chain.pem on 127.0.0.1 and connecting as " + host + " with cert/ as the only trust");
  endpoints::ServerConfig server;
  server.chainFile = env.workspace / kChain;
  server.keyFile = env.workspace / kServerKey;
  server.siteName = host;
  server.httpCloseAfterResponse = true;
  auto started = endpoints::LabServer::start(server);
  if (!started) return fail("tlslab cannot serve your files: " + started.error(), "the other checks say which file is wrong");
  endpoints::ClientConfig client;
  client.host = host;
  client.port = started.value()->port();
  client.resolver.set(host, "127.0.0.1");
  client.trustDir = env.workspace / "cert";
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"),
                   endpoints::ScriptStep::expect("</html>")};
  client.ioTimeoutMs = 3000;
  endpoints::ClientRun run = endpoints::runClient(client);
  started.value()->stop();
  if (!run.handshakeOk || !run.scriptOk) {
    std::string why = run.verify.errorName.empty() ? run.error
                                                   : run.verify.errorName + " at depth " + std::to_string(run.verify.errorDepth);
    return fail("a correct client trusting only your cert/ folder refused your server: " + why,
                "the chain, hashed-directory and certificate checks above point at the cause");
  }
  return pass("a correct client (chain + host name " + host + ", trust = your cert/) got the page over " +
              run.negotiated.version);
}

}  // namespace tlslab::course::lab05
