#pragma once
// The lab PKI's named chains: trust anchors, lab servers, the student's client
// certificate and the bad-certificate gallery. Short names are used by files
// (certs/<dir>/), the CLI (`tlslab certs verify NAME`), labs and tests.
#include <span>
#include <string_view>

namespace tlslab::pki {

enum class Purpose { TlsServer, TlsClient, Any };
enum class EntryKind { Authority, Server, Client, Gallery };

struct CatalogEntry {
  std::string_view name;     // e.g. "expired"
  EntryKind kind;
  std::string_view dir;      // folder under certs/, e.g. "gallery/expired"
  std::string_view host;     // the name a client connects to ("" = no host check)
  Purpose purpose;
  bool checkCrl;             // a correct client consults the issuing CA's CRL
  int expectedError;         // X509_V_ERR_* a correct client reports (0 = X509_V_OK)
  int expectedDepth;         // chain depth of that error, -1 when it verifies
  std::string_view teaches;  // one line for `tlslab certs list` and the README
};

std::span<const CatalogEntry> catalog();
const CatalogEntry* findEntry(std::string_view name);  // nullptr when unknown
const char* entryKindName(EntryKind kind);
const char* purposeName(Purpose purpose);

// Files inside an entry's folder.
inline constexpr std::string_view kCertFile = "cert.pem";    // the entry's own certificate
inline constexpr std::string_view kKeyFile = "key.pem";      // its private key (public teaching material)
inline constexpr std::string_view kChainFile = "chain.pem";  // what a server sends: leaf + intermediates
inline constexpr std::string_view kCrlFile = "crl.pem";      // issuing-ca only
inline constexpr std::string_view kHashedDir = "hashed";     // c_rehash-style trust directory

}  // namespace tlslab::pki
