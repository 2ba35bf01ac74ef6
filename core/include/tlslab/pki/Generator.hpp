#pragma once
// Generates the whole lab PKI (see certs/README.md for the layout) with
// OpenSSL's X509/EVP API. Dates and serials are fixed, keys are fresh: a
// regenerated tree has the same files with the same properties.
#include <filesystem>
#include <vector>

#include "tlslab/pki/Handles.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::pki {

// Writes every file under `outDir` (created if missing) and returns the
// written paths relative to it, sorted.
Result<std::vector<std::filesystem::path>> generateLabPki(const std::filesystem::path& outDir);

// What a MITM proxy does on the fly: a fresh leaf for `leafKey` that copies
// the subject, subjectAltName and validity of `original`, signed by `caKey`
// (issuer = `caCert`), with a random serial.
Result<X509Ptr> forgeLeaf(X509* original, X509* caCert, EVP_PKEY* caKey, EVP_PKEY* leafKey);

// Fixed validity windows (RFC 5280 §4.1.2.5 text form).
inline constexpr const char* kGoodNotBefore = "20250101000000Z";
inline constexpr const char* kGoodNotAfter = "20491231235959Z";
inline constexpr const char* kExpiredNotBefore = "20000101000000Z";
inline constexpr const char* kExpiredNotAfter = "20010101000000Z";
inline constexpr const char* kFutureNotBefore = "20900101000000Z";
inline constexpr const char* kFutureNotAfter = "20910101000000Z";

}  // namespace tlslab::pki
