#include "tlslab/pki/Inspect.hpp"

#include <fmt/core.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "tlslab/pki/X509Text.hpp"

namespace tlslab::pki {
namespace {

using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, OsslDeleter<BASIC_CONSTRAINTS_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, OsslDeleter<EXTENDED_KEY_USAGE_free>>;
using BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, OsslDeleter<ASN1_BIT_STRING_free>>;

// RFC 5280 §4.2.1.3 bit order.
constexpr const char* kKeyUsageBits[] = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                                         "keyAgreement",     "keyCertSign",    "cRLSign",         "encipherOnly",
                                         "decipherOnly"};

}  // namespace

CertificateFacts certificateFacts(X509* cert) {
  CertificateFacts f;
  f.subject = nameLine(X509_get_subject_name(cert));
  f.issuer = nameLine(X509_get_issuer_name(cert));
  f.selfIssued = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0;
  int critical = 0;
  BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr)));
  if (bc) {
    f.ca = bc->ca != 0;
    f.basicConstraintsCritical = critical == 1;
    if (bc->pathlen) f.pathLength = ASN1_INTEGER_get(bc->pathlen);
  }
  BitStringPtr ku(static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(cert, NID_key_usage, nullptr, nullptr)));
  if (ku) {
    for (int bit = 0; bit < 9; ++bit)
      if (ASN1_BIT_STRING_get_bit(ku.get(), bit)) f.keyUsage.emplace_back(kKeyUsageBits[bit]);
  }
  EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr)));
  if (eku) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
      int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), i));
      f.extendedKeyUsage.emplace_back(nid == NID_undef ? "unknown" : OBJ_nid2sn(nid));
    }
  }
  f.dnsNames = dnsNames(cert);
  f.commonName = commonName(cert);
  f.notBefore = timeLine(X509_get0_notBefore(cert));
  f.notAfter = timeLine(X509_get0_notAfter(cert));
  std::time_t now = std::time(nullptr);
  f.validNow = X509_cmp_time(X509_get0_notBefore(cert), &now) < 0 && X509_cmp_time(X509_get0_notAfter(cert), &now) > 0;
  f.key = keyLine(X509_get0_pubkey(cert));
  f.signatureAlgorithm = signatureAlgorithm(cert);
  f.subjectHash = X509_NAME_hash_ex(X509_get_subject_name(cert), nullptr, nullptr, nullptr);
  ERR_clear_error();
  return f;
}

bool signatureVerifiesWith(X509* cert, X509* issuer) {
  EVP_PKEY* key = X509_get0_pubkey(issuer);
  bool ok = key != nullptr && X509_verify(cert, key) == 1;
  ERR_clear_error();
  return ok;
}

bool keyMatchesCertificate(X509* cert, EVP_PKEY* key) {
  bool ok = X509_check_private_key(cert, key) == 1;
  ERR_clear_error();
  return ok;
}

std::string subjectHashName(X509* cert) { return fmt::format("{:08x}", certificateFacts(cert).subjectHash); }

}  // namespace tlslab::pki
