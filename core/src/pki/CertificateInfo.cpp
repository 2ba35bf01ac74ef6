// Certificate -> field tree. OpenSSL decodes the values; a small DER walker
// finds where each field sits so the GUI can highlight its bytes.
#include "tlslab/pki/CertificateInfo.hpp"

#include <openssl/x509v3.h>

#include "Der.hpp"
#include "tlslab/pki/X509Text.hpp"

namespace tlslab::pki {
namespace {

using model::Field;

struct Span {
  std::size_t offset = 0;
  std::size_t length = 0;
};

Field leaf(std::string name, Span span, std::size_t base, std::string value, std::string meaning, std::string rfc) {
  Field f;
  f.name = std::move(name);
  f.offset = base + span.offset;
  f.length = span.length;
  f.value = std::move(value);
  f.meaning = std::move(meaning);
  f.rfc = std::move(rfc);
  return f;
}

Field malformed(std::string name, Span span, std::size_t base, std::string value) {
  Field f = leaf(std::move(name), span, base, std::move(value),
                 "These bytes are not a valid DER-encoded X.509 certificate, so nothing in them can be trusted.",
                 "RFC 5280 §4.1");
  f.malformed = true;
  return f;
}

// Byte ranges of the parts of a certificate, found by walking its DER.
struct Layout {
  Span certificate, tbs, version, serial, innerSig, issuer, validity, notBefore, notAfter, subject, spki;
  Span sigAlg, sigValue;
  std::vector<Span> extensions;
  bool complete = false;
};

Span spanOf(const der::Tlv& t) { return {t.offset, t.total()}; }

void layoutTbs(ByteView der, const std::vector<der::Tlv>& parts, Layout& out, der::Error& err) {
  std::size_t i = 0;
  if (i < parts.size() && parts[i].tag == 0xa0) out.version = spanOf(parts[i++]);  // [0] EXPLICIT Version
  Span* order[] = {&out.serial, &out.innerSig, &out.issuer, &out.validity, &out.subject, &out.spki};
  for (Span* s : order) {
    if (i >= parts.size()) return;
    *s = spanOf(parts[i++]);
  }
  const der::Tlv& validity = parts[3 + (parts[0].tag == 0xa0 ? 1 : 0)];
  if (auto times = der::children(der, validity, err, "validity"); times && times->size() == 2) {
    out.notBefore = spanOf((*times)[0]);
    out.notAfter = spanOf((*times)[1]);
  }
  for (; i < parts.size(); ++i) {
    if (parts[i].tag != 0xa3) continue;  // [1]/[2] unique identifiers are skipped
    auto seq = der::children(der, parts[i], err, "extensions");
    if (!seq || seq->size() != 1) return;
    if (auto exts = der::children(der, (*seq)[0], err, "extension")) {
      for (const auto& e : *exts) out.extensions.push_back(spanOf(e));
    }
  }
}

Layout layoutOf(ByteView der, der::Error& err) {
  Layout out;
  auto cert = der::read(der, 0, der.size(), err, "Certificate");
  if (!cert) return out;
  out.certificate = spanOf(*cert);
  auto top = der::children(der, *cert, err, "Certificate");
  if (!top || top->size() != 3) {
    if (top) err = {"Certificate: expected 3 parts (tbsCertificate, signatureAlgorithm, signatureValue), found " +
                        std::to_string(top->size()), cert->offset};
    return out;
  }
  out.tbs = spanOf((*top)[0]);
  out.sigAlg = spanOf((*top)[1]);
  out.sigValue = spanOf((*top)[2]);
  auto parts = der::children(der, (*top)[0], err, "tbsCertificate");
  if (!parts || parts->size() < 6) return out;
  layoutTbs(der, *parts, out, err);
  out.complete = true;
  return out;
}

struct ExtensionInfo {
  const char* meaning;
  const char* rfc;
};

ExtensionInfo extensionInfo(int nid) {
  switch (nid) {
    case NID_subject_alt_name:
      return {"The host names (and addresses) this certificate is valid for; clients match the server name here.",
              "RFC 5280 §4.2.1.6"};
    case NID_basic_constraints:
      return {"Whether the key may act as a CA and sign other certificates, and how deep below it a chain may go.",
              "RFC 5280 §4.2.1.9"};
    case NID_key_usage:
      return {"The cryptographic operations the key may be used for, e.g. signatures or signing certificates.",
              "RFC 5280 §4.2.1.3"};
    case NID_ext_key_usage:
      return {"The applications the key may be used for; a TLS server certificate needs serverAuth.",
              "RFC 5280 §4.2.1.12"};
    case NID_name_constraints:
      return {"The only names (or excluded names) certificates below this CA may carry.", "RFC 5280 §4.2.1.10"};
    case NID_subject_key_identifier:
      return {"An identifier of this certificate's key, so children can point at it.", "RFC 5280 §4.2.1.2"};
    case NID_authority_key_identifier:
      return {"Identifies the issuer's key, helping a client pick the right issuer when building the chain.",
              "RFC 5280 §4.2.1.1"};
    case NID_crl_distribution_points:
      return {"Where to download the CRL that says whether this certificate was revoked.", "RFC 5280 §4.2.1.13"};
    case NID_info_access:
      return {"Where to fetch the issuer certificate (caIssuers) or ask OCSP about revocation.", "RFC 5280 §4.2.2.1"};
    case NID_certificate_policies:
      return {"The policies under which the certificate was issued (e.g. domain validated).", "RFC 5280 §4.2.1.4"};
    default:
      return {"An extension this tool does not explain; a client must reject unknown critical extensions.",
              "RFC 5280 §4.2"};
  }
}

Field extensionField(X509* cert, int index, Span span, std::size_t base) {
  X509_EXTENSION* ext = X509_get_ext(cert, index);
  int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
  // RFC 5280 ASN.1 names (OpenSSL's short names), dotted OID when unknown.
  char oid[80];
  OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(ext), 1);
  std::string name = nid != NID_undef ? OBJ_nid2sn(nid) : oid;
  ExtensionInfo info = extensionInfo(nid);
  std::string value = (X509_EXTENSION_get_critical(ext) ? "critical: " : "") + extensionValue(ext);
  return leaf(name, span, base, value, info.meaning, info.rfc);
}

Field validityField(const X509* cert, const Layout& l, std::size_t base) {
  Field f = leaf("validity", l.validity, base,
                 timeLine(X509_get0_notBefore(cert)) + " .. " + timeLine(X509_get0_notAfter(cert)),
                 "The period in which the issuer vouches for this certificate; outside it clients reject it.",
                 "RFC 5280 §4.1.2.5");
  f.children.push_back(leaf("notBefore", l.notBefore, base, timeLine(X509_get0_notBefore(cert)),
                            "The certificate is not valid before this time.", "RFC 5280 §4.1.2.5"));
  f.children.push_back(leaf("notAfter", l.notAfter, base, timeLine(X509_get0_notAfter(cert)),
                            "The certificate has expired after this time.", "RFC 5280 §4.1.2.5"));
  return f;
}

Field tbsField(X509* cert, const Layout& l, std::size_t base) {
  Field tbs = leaf("tbsCertificate", l.tbs, base, std::to_string(l.tbs.length) + " bytes covered by the signature",
                   "The part the issuer signs: every field a client checks.",
                   "RFC 5280 §4.1.1.1");
  long version = X509_get_version(cert);
  tbs.children.push_back(leaf("version", l.version, base, "v" + std::to_string(version + 1) + " (" + std::to_string(version) + ")",
                              "The X.509 format version; v3 is needed for extensions.", "RFC 5280 §4.1.2.1"));
  tbs.children.push_back(leaf("serialNumber", l.serial, base, serialHex(cert),
                              "A number unique per issuer; CRLs name revoked certificates by it.", "RFC 5280 §4.1.2.2"));
  tbs.children.push_back(leaf("signature", l.innerSig, base, signatureAlgorithm(cert),
                              "The signature algorithm, repeated inside the signed part so it cannot be swapped.",
                              "RFC 5280 §4.1.2.3"));
  tbs.children.push_back(leaf("issuer", l.issuer, base, nameLine(X509_get_issuer_name(cert)),
                              "Who signed this certificate; the client looks for a certificate with this subject.",
                              "RFC 5280 §4.1.2.4"));
  tbs.children.push_back(validityField(cert, l, base));
  tbs.children.push_back(leaf("subject", l.subject, base, nameLine(X509_get_subject_name(cert)),
                              "Whom the certificate is about; for TLS servers the names that matter are in the SAN.",
                              "RFC 5280 §4.1.2.6"));
  tbs.children.push_back(leaf("subjectPublicKeyInfo", l.spki, base, keyLine(X509_get0_pubkey(cert)),
                              "The public key the server proves it holds during the handshake.", "RFC 5280 §4.1.2.7"));
  int count = X509_get_ext_count(cert);
  if (count > 0) {
    Field exts = leaf("extensions", {}, base, std::to_string(count) + " extensions",
                      "Extra rules and names (v3); a client must understand every critical one.", "RFC 5280 §4.1.2.9");
    for (int i = 0; i < count; ++i) {
      Span span = static_cast<std::size_t>(i) < l.extensions.size() ? l.extensions[static_cast<std::size_t>(i)] : Span{};
      if (i == 0) exts.offset = base + span.offset;
      exts.children.push_back(extensionField(cert, i, span, base));
    }
    if (!l.extensions.empty()) {
      exts.length = l.extensions.back().offset + l.extensions.back().length - l.extensions.front().offset;
    }
    tbs.children.push_back(std::move(exts));
  }
  return tbs;
}

Field certificateField(X509* cert, const Layout& l, std::size_t base) {
  std::string cn = commonName(cert);
  Field root = leaf("Certificate", l.certificate, base, cn.empty() ? nameLine(X509_get_subject_name(cert)) : cn,
                    "An X.509 certificate: an issuer's signed statement binding names to a public key.",
                    "RFC 5280 §4.1");
  root.children.push_back(tbsField(cert, l, base));
  root.children.push_back(leaf("signatureAlgorithm", l.sigAlg, base, signatureAlgorithm(cert),
                               "How the issuer signed tbsCertificate (hash + key type).", "RFC 5280 §4.1.1.2"));
  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, cert);
  root.children.push_back(leaf("signatureValue", l.sigValue, base,
                               std::to_string(sig != nullptr ? ASN1_STRING_length(sig) : 0) + " bytes",
                               "The issuer's signature; checking it with the issuer's key proves who issued this.",
                               "RFC 5280 §4.1.1.3"));
  return root;
}

}  // namespace

model::Field describeCertificate(ByteView der, std::size_t baseOffset) {
  der::Error err;
  Layout layout = layoutOf(der, err);
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  std::string opensslReason = takeOpensslErrors();
  if (!cert || !layout.complete) {
    std::string why = !err.what.empty() ? err.what + " (at byte offset " + std::to_string(baseOffset + err.offset) + ")"
                                        : "OpenSSL cannot decode it: " + opensslReason;
    return malformed("Certificate", {0, der.size()}, baseOffset, "malformed certificate: " + why);
  }
  Field root = certificateField(cert.get(), layout, baseOffset);
  std::size_t used = static_cast<std::size_t>(p - der.data());
  if (used < der.size()) {
    root.malformed = true;
    root.children.push_back(malformed("trailing data", {used, der.size() - used}, baseOffset,
                                      std::to_string(der.size() - used) + " bytes after the certificate's DER end at offset " +
                                          std::to_string(baseOffset + used)));
  }
  return root;
}

}  // namespace tlslab::pki
