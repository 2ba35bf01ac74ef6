#pragma once
// The bad-certificate gallery lab: an offline badssl.com. A real server
// presents each gallery chain; a correct client and a chain-only client
// connect, and the verification trace says what each one concluded and why.
// The chain-only client is the careless one of tutorials/gallery.md: it never
// gives OpenSSL the host name, and it loads no CRL (OpenSSL checks revocation
// only when given CRLs and X509_V_FLAG_CRL_CHECK), so names and revocation
// are its blind spots.
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/pki/Catalog.hpp"

namespace tlslab::scenarios {

struct GalleryResult {
  const pki::CatalogEntry* entry = nullptr;
  endpoints::ClientRun correct;    // chain + host name (+ CRL where the entry needs it)
  endpoints::ClientRun chainOnly;  // the classic bug: no host name, and no CRL
  std::string setupError;          // the server could not present the entry
  bool asExpected() const;         // the correct client failed with the catalog's error at its depth
};

// Why the chain-only client accepts this entry ("" when it should not):
// "it never compares names", "it loads no CRL, so it never learns of the revocation".
const char* chainOnlyBlindSpot(const pki::CatalogEntry& entry);

GalleryResult runGalleryEntry(const pki::CatalogEntry& entry, const std::filesystem::path& certsDir,
                              endpoints::Observer observer = {});
std::vector<GalleryResult> runGallery(const std::filesystem::path& certsDir, endpoints::Observer observer = {});

}  // namespace tlslab::scenarios
