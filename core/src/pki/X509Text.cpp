#include "tlslab/pki/X509Text.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::pki {
namespace {

using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OsslDeleter<GENERAL_NAMES_free>>;

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out = len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
  // One line: newlines and indentation runs become single spaces.
  std::string line;
  for (char c : out) {
    bool space = c == '\n' || c == ' ';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::string nameLine(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bioText(bio.get());
}

std::string timeLine(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return "(invalid time)";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string keyLine(const EVP_PKEY* key) {
  if (key == nullptr) return "(no key)";
  int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_is_a(key, "RSA")) return "RSA " + std::to_string(bits) + " bits";
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1) {
      std::string curve = group;
      if (curve == "prime256v1") curve = "P-256";
      return "EC " + curve + " (" + std::to_string(bits) + " bits)";
    }
    return "EC " + std::to_string(bits) + " bits";
  }
  const char* name = EVP_PKEY_get0_type_name(key);
  return std::string(name != nullptr ? name : "unknown") + " " + std::to_string(bits) + " bits";
}

std::string signatureAlgorithm(const X509* cert) {
  int nid = X509_get_signature_nid(cert);
  return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
}

std::vector<std::string> dnsNames(X509* cert) {
  std::vector<std::string> out;
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                     static_cast<std::size_t>(ASN1_STRING_length(dns)));
  }
  return out;
}

std::string commonName(const X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)), static_cast<std::size_t>(ASN1_STRING_length(data))};
}

std::string extensionValue(X509_EXTENSION* ext) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  if (X509V3_EXT_print(bio.get(), ext, 0, 0) != 1) {
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
    return "(raw) " + toHex(ByteView(ASN1_STRING_get0_data(data), static_cast<std::size_t>(ASN1_STRING_length(data))), ":");
  }
  return bioText(bio.get());
}

std::string serialHex(const X509* cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  return toHex(ByteView(ASN1_STRING_get0_data(serial), static_cast<std::size_t>(ASN1_STRING_length(serial))), ":");
}

}  // namespace tlslab::pki
