// The lab PKI, entity by entity. Each entity gets a folder with cert.pem,
// key.pem and (for what a server sends) chain.pem; see certs/README.md.
#include "tlslab/pki/Generator.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <system_error>

#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::pki {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLabOrg = "tlslab";
// Serials are fixed so the CRL can name the revoked one across regenerations.
constexpr long kRevokedSerial = 0x2A0B;

struct Entity {
  X509Ptr cert;
  EvpPkeyPtr key;
};

std::vector<ExtensionSpec> caExtensions(const std::string& pathLen) {
  // RFC 5280 §4.2.1.9: CA:TRUE marked critical; §4.2.1.3: keyCertSign and cRLSign.
  std::string bc = "critical,CA:TRUE" + (pathLen.empty() ? "" : ",pathlen:" + pathLen);
  return {{NID_basic_constraints, bc},
          {NID_key_usage, "critical,keyCertSign,cRLSign"},
          {NID_subject_key_identifier, "hash"},
          {NID_authority_key_identifier, "keyid:always"}};
}

std::string sanList(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "DNS:" : ",DNS:") + name;
  return out;
}

struct LeafOptions {
  std::vector<std::string> dnsNames;  // empty = no subjectAltName at all
  std::string eku = "serverAuth";
  bool rsa = true;                    // RSA keys also allow keyEncipherment (TLS 1.2 RSA key exchange)
  bool withKeyUsage = true;
};

std::vector<ExtensionSpec> leafExtensions(const LeafOptions& opt) {
  std::vector<ExtensionSpec> exts{{NID_basic_constraints, "critical,CA:FALSE"}};
  if (opt.withKeyUsage) {
    exts.push_back({NID_key_usage, opt.rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"});
  }
  exts.push_back({NID_ext_key_usage, opt.eku});
  if (!opt.dnsNames.empty()) exts.push_back({NID_subject_alt_name, sanList(opt.dnsNames)});
  exts.push_back({NID_subject_key_identifier, "hash"});
  exts.push_back({NID_authority_key_identifier, "keyid:always"});
  return exts;
}

// Collects written files and the first error, so the build-up reads linearly.
class Writer {
 public:
  explicit Writer(fs::path root) : root_(std::move(root)) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::vector<fs::path> files() const {
    auto out = files_;
    std::sort(out.begin(), out.end());
    return out;
  }
  void fail(const std::string& what) {
    if (error_.empty()) error_ = what;
  }

  void certs(const fs::path& rel, const std::vector<X509*>& chain) {
    if (!prepare(rel)) return;
    if (auto err = writeCertificates(root_ / rel, chain); !err.empty()) fail(err);
  }
  void key(const fs::path& rel, EVP_PKEY* key, const std::string& what) {
    if (!prepare(rel)) return;
    if (auto err = writePrivateKey(root_ / rel, key, teachingKeyHeader(what)); !err.empty()) fail(err);
  }
  void crl(const fs::path& rel, X509_CRL* crl) {
    if (!prepare(rel)) return;
    if (auto err = writeCrl(root_ / rel, crl); !err.empty()) fail(err);
  }
  // cert.pem + key.pem (+ chain.pem = the certificate followed by `sentWith`).
  void entity(const fs::path& dir, const Entity& e, const std::string& what, const std::vector<X509*>& sentWith,
              bool writeChain = true) {
    certs(dir / kCertFile, {e.cert.get()});
    key(dir / kKeyFile, e.key.get(), what + " (" + (dir / kCertFile).string() + ")");
    if (!writeChain) return;
    std::vector<X509*> chain{e.cert.get()};
    chain.insert(chain.end(), sentWith.begin(), sentWith.end());
    certs(dir / kChainFile, chain);
  }
  void symlink(const fs::path& rel, const fs::path& target) {
    if (!prepare(rel)) return;
    std::error_code ec;
    fs::remove(root_ / rel, ec);
    fs::create_symlink(target, root_ / rel, ec);
    if (ec) fail("cannot link " + (root_ / rel).string() + ": " + ec.message());
  }

 private:
  bool prepare(const fs::path& rel) {
    if (!ok()) return false;
    std::error_code ec;
    fs::create_directories((root_ / rel).parent_path(), ec);
    if (ec) {
      fail("cannot create " + (root_ / rel).parent_path().string() + ": " + ec.message());
      return false;
    }
    files_.push_back(rel);
    return true;
  }
  fs::path root_;
  std::vector<fs::path> files_;
  std::string error_;
};

// Makes a key and a certificate; on failure records the error and returns an empty entity.
Entity make(Writer& w, const CertificateSpec& spec, Result<EvpPkeyPtr> key, const Entity* issuer) {
  if (!w.ok()) return {};
  if (!key) {
    w.fail(key.error());
    return {};
  }
  auto cert = issueCertificate(spec, key->get(), issuer ? issuer->cert.get() : nullptr,
                               issuer ? issuer->key.get() : key->get());
  if (!cert) {
    w.fail(cert.error());
    return {};
  }
  return {std::move(cert.value()), std::move(key.value())};
}

CertificateSpec spec(std::string org, std::string cn, long serial, std::vector<ExtensionSpec> exts,
                     const char* from = kGoodNotBefore, const char* until = kGoodNotAfter,
                     const EVP_MD* digest = nullptr) {
  return {std::move(org), std::move(cn), serial, from, until, digest, std::move(exts)};
}

const std::vector<std::string> kBankNames{"bank32.com", "www.bank32.com"};

struct Authorities {
  Entity root, issuing, rogue;
};

Authorities makeAuthorities(Writer& w) {
  Authorities a;
  a.root = make(w, spec(kLabOrg, "tlslab Root CA", 0x01, caExtensions("")), generateRsaKey(2048), nullptr);
  // pathlen:0 -- the issuing CA may sign leaves only (RFC 5280 §4.2.1.9).
  a.issuing = make(w, spec(kLabOrg, "tlslab Issuing CA", 0x02, caExtensions("0")), generateRsaKey(2048), &a.root);
  a.rogue = make(w, spec("Rogue", "Rogue CA", 0x01, caExtensions("")), generateRsaKey(2048), nullptr);
  if (!w.ok()) return a;
  w.entity("root-ca", a.root, "tlslab Root CA", {}, false);
  w.entity("issuing-ca", a.issuing, "tlslab Issuing CA", {}, false);
  w.entity("rogue-ca", a.rogue, "Rogue CA (untrusted)", {}, false);
  auto crl = issueCrl(a.issuing.cert.get(), a.issuing.key.get(), kGoodNotBefore, kGoodNotAfter, 1,
                      {{kRevokedSerial, "20250601000000Z"}});
  if (!crl) {
    w.fail(crl.error());
    return a;
  }
  w.crl(fs::path("issuing-ca") / kCrlFile, crl->get());
  return a;
}

Entity server(Writer& w, const Authorities& a, const fs::path& dir, const std::string& cn, long serial,
              const LeafOptions& opt, const Entity* issuer = nullptr) {
  Entity e = make(w, spec(kLabOrg, cn, serial, leafExtensions(opt)),
                  opt.rsa ? generateRsaKey(2048) : generateEcP256Key(), issuer ? issuer : &a.issuing);
  if (w.ok()) w.entity(dir, e, cn, {a.issuing.cert.get()});
  return e;
}

void makeServers(Writer& w, const Authorities& a, Entity& attacker) {
  server(w, a, "bank32-rsa", "bank32.com", 0x1001, {kBankNames});
  server(w, a, "bank32-ecdsa", "bank32.com", 0x1002, {kBankNames, "serverAuth", false});
  attacker = server(w, a, "attacker32", "attacker32.com", 0x1003, {{"attacker32.com", "www.attacker32.com"}});
  server(w, a, "mail-bank32", "mail.bank32.com", 0x1004, {{"mail.bank32.com"}});
  server(w, a, "student01", "student01", 0x1005, {{}, "clientAuth"});
}

// A gallery leaf for bank32.com issued by the lab issuing CA with one twist.
void galleryLeaf(Writer& w, const Authorities& a, const std::string& name, long serial, const LeafOptions& opt,
                 const char* from = kGoodNotBefore, const char* until = kGoodNotAfter,
                 const EVP_MD* digest = nullptr, int rsaBits = 2048) {
  Entity e = make(w, spec(kLabOrg, "bank32.com", serial, leafExtensions(opt), from, until, digest),
                  generateRsaKey(rsaBits), &a.issuing);
  if (w.ok()) w.entity(fs::path("gallery") / name, e, "gallery " + name, {a.issuing.cert.get()});
}

void makeSimpleGallery(Writer& w, const Authorities& a) {
  galleryLeaf(w, a, "expired", 0x2A01, {kBankNames}, kExpiredNotBefore, kExpiredNotAfter);
  galleryLeaf(w, a, "not-yet-valid", 0x2A02, {kBankNames}, kFutureNotBefore, kFutureNotAfter);
  Entity other = make(w, spec(kLabOrg, "other.test", 0x2A03, leafExtensions({{"other.test"}})), generateRsaKey(2048),
                      &a.issuing);
  if (w.ok()) w.entity("gallery/wrong-host", other, "gallery wrong-host", {a.issuing.cert.get()});
  galleryLeaf(w, a, "cn-only", 0x2A08, {{}});
  galleryLeaf(w, a, "wildcard", 0x2A09, {{"*.bank32.com"}});
  galleryLeaf(w, a, "rsa1024", 0x2A0A, {kBankNames}, kGoodNotBefore, kGoodNotAfter, nullptr, 1024);
  galleryLeaf(w, a, "sha1", 0x2A0C, {kBankNames}, kGoodNotBefore, kGoodNotAfter, EVP_sha1());
  galleryLeaf(w, a, "revoked", kRevokedSerial, {kBankNames});
  galleryLeaf(w, a, "wrong-eku", 0x2A0E, {kBankNames, "clientAuth"});
}

void makeChainGallery(Writer& w, const Authorities& a, const Entity& attacker) {
  // Self-signed, as `openssl req -x509` makes it: no keyUsage, so the key may sign itself.
  LeafOptions selfOpt{kBankNames};
  selfOpt.withKeyUsage = false;
  Entity self = make(w, spec(kLabOrg, "bank32.com", 0x2A04, leafExtensions(selfOpt)), generateRsaKey(2048), nullptr);
  if (w.ok()) w.entity("gallery/self-signed", self, "gallery self-signed", {});

  Entity rogue = make(w, spec(kLabOrg, "bank32.com", 0x2A05, leafExtensions({kBankNames})), generateRsaKey(2048),
                      &a.rogue);
  if (w.ok()) w.entity("gallery/untrusted-root", rogue, "gallery untrusted-root", {});
  w.certs("gallery/untrusted-root/chain-with-root.pem", {rogue.cert.get(), a.rogue.cert.get()});

  Entity incomplete = make(w, spec(kLabOrg, "bank32.com", 0x2A06, leafExtensions({kBankNames})),
                           generateRsaKey(2048), &a.issuing);
  if (w.ok()) w.entity("gallery/incomplete-chain", incomplete, "gallery incomplete-chain", {});

  // attacker32.com's genuine leaf (CA:FALSE) signs a bank32.com certificate.
  Entity byLeaf = make(w, spec(kLabOrg, "bank32.com", 0x2A07, leafExtensions({kBankNames})), generateRsaKey(2048),
                       &attacker);
  if (w.ok()) w.entity("gallery/leaf-signed-leaf", byLeaf, "gallery leaf-signed-leaf",
                       {attacker.cert.get(), a.issuing.cert.get()});

  // RFC 5280 §4.2.1.10: nameConstraints MUST be critical.
  auto constrainedExts = caExtensions("0");
  constrainedExts.push_back({NID_name_constraints, "critical,permitted;DNS:intranet.test"});
  Entity constrained = make(w, spec(kLabOrg, "tlslab Constrained CA", 0x03, constrainedExts), generateRsaKey(2048),
                            &a.root);
  Entity outside = make(w, spec(kLabOrg, "bank32.com", 0x2A0D, leafExtensions({kBankNames})), generateRsaKey(2048),
                        &constrained);
  if (!w.ok()) return;
  w.entity("gallery/name-constraints", outside, "gallery name-constraints", {constrained.cert.get()});
  w.certs("gallery/name-constraints/constrained-ca.pem", {constrained.cert.get()});
  w.key("gallery/name-constraints/constrained-ca.key.pem", constrained.key.get(), "tlslab Constrained CA");
}

// c_rehash layout: <subject-hash>.0 for certificates, <issuer-hash>.r0 for CRLs.
void makeHashedDir(Writer& w, const Authorities& a) {
  if (!w.ok()) return;
  auto hashName = [](X509_NAME* name, const char* suffix) {
    int ok = 0;
    unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08lx.%s", hash, suffix);
    return std::string(buf);
  };
  const fs::path dir(kHashedDir);
  w.symlink(dir / hashName(X509_get_subject_name(a.root.cert.get()), "0"), fs::path("..") / "root-ca" / kCertFile);
  w.symlink(dir / hashName(X509_get_subject_name(a.issuing.cert.get()), "r0"),
            fs::path("..") / "issuing-ca" / kCrlFile);
}

}  // namespace

Result<std::vector<fs::path>> generateLabPki(const fs::path& outDir) {
  Writer w(outDir);
  Authorities a = makeAuthorities(w);
  Entity attacker;
  makeServers(w, a, attacker);
  makeSimpleGallery(w, a);
  makeChainGallery(w, a, attacker);
  makeHashedDir(w, a);
  if (!w.ok()) return Result<std::vector<fs::path>>::failure(w.error());
  return Result<std::vector<fs::path>>::success(w.files());
}

}  // namespace tlslab::pki
