#include "tlslab/pki/Issue.hpp"

#include <openssl/ec.h>
#include <openssl/x509v3.h>

namespace tlslab::pki {
namespace {

using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OsslDeleter<ASN1_TIME_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OsslDeleter<ASN1_INTEGER_free>>;
using Asn1EnumPtr = std::unique_ptr<ASN1_ENUMERATED, OsslDeleter<ASN1_ENUMERATED_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OsslDeleter<X509_EXTENSION_free>>;

template <class T>
Result<T> fail(const std::string& what) {
  return Result<T>::failure(what + ": " + takeOpensslErrors());
}

Asn1TimePtr makeTime(const std::string& text) {
  Asn1TimePtr time(ASN1_TIME_new());
  if (time && ASN1_TIME_set_string_X509(time.get(), text.c_str()) != 1) time.reset();
  return time;
}

bool setName(X509_NAME* name, const CertificateSpec& spec) {
  auto add = [name](const char* field, const std::string& value) {
    return value.empty() || X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                                       -1, 0) == 1;
  };
  return add("O", spec.organization) && add("CN", spec.commonName);
}

bool setValidity(X509* cert, const CertificateSpec& spec) {
  Asn1TimePtr from = makeTime(spec.notBefore);
  Asn1TimePtr until = makeTime(spec.notAfter);
  return from && until && X509_set1_notBefore(cert, from.get()) == 1 && X509_set1_notAfter(cert, until.get()) == 1;
}

std::string addExtensions(X509* cert, X509* issuer, const std::vector<ExtensionSpec>& extensions) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  for (const auto& spec : extensions) {
    ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, spec.nid, spec.value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
      return std::string("extension ") + OBJ_nid2sn(spec.nid) + "=" + spec.value + ": " + takeOpensslErrors();
    }
  }
  return {};
}

}  // namespace

Result<EvpPkeyPtr> generateRsaKey(int bits) {
  EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) return fail<EvpPkeyPtr>("RSA-" + std::to_string(bits) + " key generation");
  return Result<EvpPkeyPtr>::success(std::move(key));
}

Result<EvpPkeyPtr> generateEcP256Key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return fail<EvpPkeyPtr>("EC P-256 key generation");
  return Result<EvpPkeyPtr>::success(std::move(key));
}

Result<X509Ptr> issueCertificate(const CertificateSpec& spec, EVP_PKEY* subjectKey, X509* issuerCert,
                                 EVP_PKEY* issuerKey) {
  X509Ptr cert(X509_new());
  if (!cert) return fail<X509Ptr>("X509_new");
  // Version 3 because we use extensions (RFC 5280 §4.1.2.1).
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial) != 1 ||
      !setName(X509_get_subject_name(cert.get()), spec) || !setValidity(cert.get(), spec) ||
      X509_set_pubkey(cert.get(), subjectKey) != 1) {
    return fail<X509Ptr>("certificate fields for CN=" + spec.commonName);
  }
  X509* issuer = issuerCert != nullptr ? issuerCert : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1) {
    return fail<X509Ptr>("issuer name for CN=" + spec.commonName);
  }
  if (std::string err = addExtensions(cert.get(), issuer, spec.extensions); !err.empty()) {
    return Result<X509Ptr>::failure("CN=" + spec.commonName + ": " + err);
  }
  const EVP_MD* digest = spec.digest != nullptr ? spec.digest : EVP_sha256();
  if (X509_sign(cert.get(), issuerKey, digest) <= 0) return fail<X509Ptr>("signing CN=" + spec.commonName);
  return Result<X509Ptr>::success(std::move(cert));
}

namespace {

bool addRevoked(X509_CRL* crl, const RevokedEntry& entry) {
  X509_REVOKED* revoked = X509_REVOKED_new();
  Asn1IntegerPtr serial(ASN1_INTEGER_new());
  Asn1TimePtr date = makeTime(entry.revocationDate);
  Asn1EnumPtr reason(ASN1_ENUMERATED_new());
  bool ok = revoked != nullptr && serial && date && reason && ASN1_INTEGER_set(serial.get(), entry.serial) == 1 &&
            X509_REVOKED_set_serialNumber(revoked, serial.get()) == 1 &&
            X509_REVOKED_set_revocationDate(revoked, date.get()) == 1 &&
            // reasonCode keyCompromise (1), RFC 5280 §5.3.1.
            ASN1_ENUMERATED_set(reason.get(), 1) == 1 &&
            X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, reason.get(), 0, 0) == 1;
  if (ok && X509_CRL_add0_revoked(crl, revoked) == 1) return true;
  X509_REVOKED_free(revoked);
  return false;
}

}  // namespace

Result<X509CrlPtr> issueCrl(X509* ca, EVP_PKEY* caKey, const std::string& thisUpdate, const std::string& nextUpdate,
                            long crlNumber, const std::vector<RevokedEntry>& revoked) {
  X509CrlPtr crl(X509_CRL_new());
  Asn1TimePtr last = makeTime(thisUpdate);
  Asn1TimePtr next = makeTime(nextUpdate);
  Asn1IntegerPtr number(ASN1_INTEGER_new());
  // v2 (value 1) because the CRL carries extensions (RFC 5280 §5.1.2.1).
  if (!crl || !last || !next || !number || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca)) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 || X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return fail<X509CrlPtr>("CRL fields");
  }
  for (const auto& entry : revoked) {
    if (!addRevoked(crl.get(), entry)) return fail<X509CrlPtr>("CRL entry " + std::to_string(entry.serial));
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, crl.get(), 0);
  // authorityKeyIdentifier and cRLNumber are required in a CRL (RFC 5280 §5.2.1, §5.2.3).
  ExtensionPtr aki(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1 || ASN1_INTEGER_set(number.get(), crlNumber) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    return fail<X509CrlPtr>("CRL extensions");
  }
  if (X509_CRL_sort(crl.get()) != 1 || X509_CRL_sign(crl.get(), caKey, EVP_sha256()) <= 0) {
    return fail<X509CrlPtr>("signing the CRL");
  }
  return Result<X509CrlPtr>::success(std::move(crl));
}

}  // namespace tlslab::pki
