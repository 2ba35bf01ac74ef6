#pragma once
// The bad-certificate gallery lab: an offline badssl.com. A real server
// presents each gallery chain; a correct client and a chain-only client
// connect, and the verification trace says what each one concluded and why.
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/pki/Catalog.hpp"

namespace tlslab::scenarios {

struct GalleryResult {
  const pki::CatalogEntry* entry = nullptr;
  endpoints::ClientRun correct;    // chain + host name (+ CRL where the entry needs it)
  endpoints::ClientRun chainOnly;  // the classic bug
  std::string setupError;          // the server could not present the entry
  bool asExpected() const;         // the correct client failed with the catalog's error at its depth
};

GalleryResult runGalleryEntry(const pki::CatalogEntry& entry, const std::filesystem::path& certsDir,
                              endpoints::Observer observer = {});
std::vector<GalleryResult> runGallery(const std::filesystem::path& certsDir, endpoints::Observer observer = {});

}  // namespace tlslab::scenarios
