#include "tlslab/pki/Catalog.hpp"

#include <openssl/x509_vfy.h>

#include <array>

namespace tlslab::pki {
namespace {

using enum EntryKind;
using enum Purpose;

// Expected results are for a correct TLS client: trust = the lab root only,
// hostname checked without CN fallback, security level 2 (Debian's default).
constexpr std::array kCatalog{
    CatalogEntry{"root-ca", Authority, "root-ca", "", Any, false, X509_V_OK, -1,
                 "the lab trust anchor \"tlslab Root CA\": self-signed, trusted because you put it in the store"},
    CatalogEntry{"issuing-ca", Authority, "issuing-ca", "", Any, false, X509_V_OK, -1,
                 "intermediate \"tlslab Issuing CA\": signs the servers; servers must send it in their chain"},
    CatalogEntry{"rogue-ca", Authority, "rogue-ca", "", Any, false, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0,
                 "\"Rogue CA\": a root nobody trusts; what a MITM proxy signs its forgeries with"},
    CatalogEntry{"bank32-rsa", Server, "bank32-rsa", "bank32.com", TlsServer, false, X509_V_OK, -1,
                 "bank32.com with RSA-2048 (SAN bank32.com, www.bank32.com): the good server"},
    CatalogEntry{"bank32-ecdsa", Server, "bank32-ecdsa", "bank32.com", TlsServer, false, X509_V_OK, -1,
                 "bank32.com with ECDSA P-256: same names, other key type (ECDHE-ECDSA suites)"},
    CatalogEntry{"attacker32", Server, "attacker32", "attacker32.com", TlsServer, false, X509_V_OK, -1,
                 "attacker32.com: perfectly valid from the same CA, so only the hostname check stops it"},
    CatalogEntry{"mail-bank32", Server, "mail-bank32", "mail.bank32.com", TlsServer, false, X509_V_OK, -1,
                 "mail.bank32.com for the STARTTLS labs"},
    CatalogEntry{"student01", Client, "student01", "", TlsClient, false, X509_V_OK, -1,
                 "client certificate (EKU clientAuth) for mutual TLS"},
    CatalogEntry{"expired", Gallery, "gallery/expired", "bank32.com", TlsServer, false,
                 X509_V_ERR_CERT_HAS_EXPIRED, 0, "notAfter is in 2001: validity is checked against the clock"},
    CatalogEntry{"not-yet-valid", Gallery, "gallery/not-yet-valid", "bank32.com", TlsServer, false,
                 X509_V_ERR_CERT_NOT_YET_VALID, 0, "notBefore is in 2090: a wrong clock breaks TLS both ways"},
    CatalogEntry{"wrong-host", Gallery, "gallery/wrong-host", "bank32.com", TlsServer, false,
                 X509_V_ERR_HOSTNAME_MISMATCH, 0, "valid chain, but only for other.test: the name must match"},
    CatalogEntry{"self-signed", Gallery, "gallery/self-signed", "bank32.com", TlsServer, false,
                 X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0,
                 "bank32.com signed by its own key: anyone can make one (MITM without a CA)"},
    CatalogEntry{"untrusted-root", Gallery, "gallery/untrusted-root", "bank32.com", TlsServer, false,
                 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0,
                 "bank32.com from the Rogue CA: the chain is fine, the root is not in your store"},
    CatalogEntry{"incomplete-chain", Gallery, "gallery/incomplete-chain", "bank32.com", TlsServer, false,
                 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0,
                 "good leaf sent without its intermediate: the client cannot build the path"},
    CatalogEntry{"leaf-signed-leaf", Gallery, "gallery/leaf-signed-leaf", "bank32.com", TlsServer, false,
                 X509_V_ERR_INVALID_CA, 1,
                 "attacker32.com's valid leaf used as a CA: basicConstraints CA:FALSE must stop it"},
    CatalogEntry{"cn-only", Gallery, "gallery/cn-only", "bank32.com", TlsServer, false,
                 X509_V_ERR_HOSTNAME_MISMATCH, 0,
                 "name only in the subject CN, no SAN: browsers reject it, OpenSSL by default still accepts"},
    CatalogEntry{"wildcard", Gallery, "gallery/wildcard", "bank32.com", TlsServer, false,
                 X509_V_ERR_HOSTNAME_MISMATCH, 0,
                 "*.bank32.com covers www.bank32.com, not bank32.com nor a.b.bank32.com"},
    CatalogEntry{"rsa1024", Gallery, "gallery/rsa1024", "bank32.com", TlsServer, false,
                 X509_V_ERR_EE_KEY_TOO_SMALL, 0, "RSA-1024 leaf key: below security level 2 (112-bit)"},
    CatalogEntry{"sha1", Gallery, "gallery/sha1", "bank32.com", TlsServer, false, X509_V_ERR_CA_MD_TOO_WEAK, 0,
                 "signed with SHA-1: collisions are practical, level 2 refuses the signature"},
    CatalogEntry{"revoked", Gallery, "gallery/revoked", "bank32.com", TlsServer, true, X509_V_ERR_CERT_REVOKED, 0,
                 "listed on the Issuing CA's CRL: only a client that checks revocation notices"},
    CatalogEntry{"name-constraints", Gallery, "gallery/name-constraints", "bank32.com", TlsServer, false,
                 X509_V_ERR_PERMITTED_VIOLATION, 0,
                 "an intermediate limited to intranet.test issues bank32.com: nameConstraints forbid it"},
    CatalogEntry{"wrong-eku", Gallery, "gallery/wrong-eku", "bank32.com", TlsServer, false,
                 X509_V_ERR_INVALID_PURPOSE, 0, "extendedKeyUsage clientAuth only: not usable by a TLS server"},
};

}  // namespace

std::span<const CatalogEntry> catalog() { return kCatalog; }

const CatalogEntry* findEntry(std::string_view name) {
  for (const auto& entry : kCatalog) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

const char* entryKindName(EntryKind kind) {
  switch (kind) {
    case Authority: return "authority";
    case Server: return "server";
    case Client: return "client";
    case Gallery: return "gallery";
    default: return "unknown";
  }
}

const char* purposeName(Purpose purpose) {
  switch (purpose) {
    case TlsServer: return "TLS server";
    case TlsClient: return "TLS client";
    case Any: return "any";
    default: return "unknown";
  }
}

}  // namespace tlslab::pki
