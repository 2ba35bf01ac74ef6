#pragma once
// Text output shared by `tlslab certs` and the main job (demo).
#include <filesystem>
#include <ostream>

#include "tlslab/model/Field.hpp"
#include "tlslab/model/Verify.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::cli {

void printCatalog(std::ostream& out, const std::filesystem::path& certsDir);
void printVerification(std::ostream& out, const pki::CatalogEntry& entry, const pki::VerifyOptions& options,
                       const model::VerifyVerdict& verdict);
void printField(std::ostream& out, const model::Field& field, int indent = 0);
// Decodes a PEM (every certificate in it) or DER file; returns the exit code.
int printCertificateFile(std::ostream& out, std::ostream& err, const std::filesystem::path& file);

}  // namespace tlslab::cli
