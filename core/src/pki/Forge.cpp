// On-the-fly forging, the core trick of a TLS-intercepting proxy: copy what
// the client will check (subject, subjectAltName) into a certificate the
// proxy can sign. Only a client that trusts the proxy's CA accepts it.
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Issue.hpp"

namespace tlslab::pki {
namespace {

using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OsslDeleter<X509_EXTENSION_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_free>>;

template <class T>
Result<T> fail(const std::string& what) {
  return Result<T>::failure("forging: " + what + ": " + takeOpensslErrors());
}

// 128-bit positive random serial (RFC 5280 §4.1.2.2: at most 20 octets, positive).
bool setRandomSerial(X509* cert) {
  BignumPtr bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) return false;
  return BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool addConfExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool copySan(X509* from, X509* to) {
  int index = X509_get_ext_by_NID(from, NID_subject_alt_name, -1);
  if (index < 0) return true;  // nothing to copy; the subject CN is all there is
  return X509_add_ext(to, X509_get_ext(from, index), -1) == 1;
}

}  // namespace

Result<X509Ptr> forgeLeaf(X509* original, X509* caCert, EVP_PKEY* caKey, EVP_PKEY* leafKey) {
  if (original == nullptr || caCert == nullptr || caKey == nullptr || leafKey == nullptr) {
    return Result<X509Ptr>::failure("forging: missing original certificate, CA certificate or key");
  }
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 || !setRandomSerial(cert.get()) ||
      X509_set_subject_name(cert.get(), X509_get_subject_name(original)) != 1 ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert)) != 1 ||
      X509_set1_notBefore(cert.get(), X509_get0_notBefore(original)) != 1 ||
      X509_set1_notAfter(cert.get(), X509_get0_notAfter(original)) != 1 ||
      X509_set_pubkey(cert.get(), leafKey) != 1) {
    return fail<X509Ptr>("certificate fields");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, caCert, cert.get(), nullptr, nullptr, 0);
  bool rsa = EVP_PKEY_is_a(leafKey, "RSA") == 1;
  if (!addConfExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
      !addConfExtension(cert.get(), &ctx, NID_key_usage,
                        rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature") ||
      !addConfExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth") || !copySan(original, cert.get()) ||
      !addConfExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash") ||
      !addConfExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always")) {
    return fail<X509Ptr>("extensions");
  }
  if (X509_sign(cert.get(), caKey, EVP_sha256()) <= 0) return fail<X509Ptr>("signing");
  return Result<X509Ptr>::success(std::move(cert));
}

}  // namespace tlslab::pki
