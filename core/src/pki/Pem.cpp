#include "tlslab/pki/Pem.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

namespace tlslab::pki {
namespace {

using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;

BioPtr openRead(const std::filesystem::path& file) { return BioPtr(BIO_new_file(file.c_str(), "r")); }

std::string cannotOpen(const std::filesystem::path& file) {
  return "cannot open " + file.string() + ": " + takeOpensslErrors();
}

}  // namespace

std::string takeOpensslErrors() {
  std::string out;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Result<std::vector<X509Ptr>> readCertificates(const std::filesystem::path& file) {
  BioPtr bio = openRead(file);
  if (!bio) return Result<std::vector<X509Ptr>>::failure(cannotOpen(file));
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(cert);
  // The loop ends with "no start line" at end of file; anything else is damage.
  unsigned long last = ERR_peek_last_error();
  if (ERR_GET_REASON(last) == PEM_R_NO_START_LINE && !certs.empty()) {
    ERR_clear_error();
    return Result<std::vector<X509Ptr>>::success(std::move(certs));
  }
  if (certs.empty()) {
    return Result<std::vector<X509Ptr>>::failure("no certificate in " + file.string() + ": " + takeOpensslErrors());
  }
  return Result<std::vector<X509Ptr>>::failure("damaged PEM in " + file.string() + " after certificate " +
                                               std::to_string(certs.size()) + ": " + takeOpensslErrors());
}

Result<X509Ptr> readCertificate(const std::filesystem::path& file) {
  auto all = readCertificates(file);
  if (!all) return Result<X509Ptr>::failure(all.error());
  return Result<X509Ptr>::success(std::move(all.value().front()));
}

Result<EvpPkeyPtr> readPrivateKey(const std::filesystem::path& file) {
  BioPtr bio = openRead(file);
  if (!bio) return Result<EvpPkeyPtr>::failure(cannotOpen(file));
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Result<EvpPkeyPtr>::failure("no private key in " + file.string() + ": " + takeOpensslErrors());
  return Result<EvpPkeyPtr>::success(std::move(key));
}

Result<X509CrlPtr> readCrl(const std::filesystem::path& file) {
  BioPtr bio = openRead(file);
  if (!bio) return Result<X509CrlPtr>::failure(cannotOpen(file));
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) return Result<X509CrlPtr>::failure("no CRL in " + file.string() + ": " + takeOpensslErrors());
  return Result<X509CrlPtr>::success(std::move(crl));
}

std::string writeCertificates(const std::filesystem::path& file, const std::vector<X509*>& certs) {
  BioPtr bio(BIO_new_file(file.c_str(), "w"));
  if (!bio) return cannotOpen(file);
  for (X509* cert : certs) {
    if (PEM_write_bio_X509(bio.get(), cert) != 1) return "cannot write " + file.string() + ": " + takeOpensslErrors();
  }
  return {};
}

std::string writePrivateKey(const std::filesystem::path& file, EVP_PKEY* key, const std::string& header) {
  BioPtr bio(BIO_new_file(file.c_str(), "w"));
  if (!bio) return cannotOpen(file);
  if (BIO_write(bio.get(), header.data(), static_cast<int>(header.size())) != static_cast<int>(header.size()) ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return "cannot write " + file.string() + ": " + takeOpensslErrors();
  }
  return {};
}

std::string writeCrl(const std::filesystem::path& file, X509_CRL* crl) {
  BioPtr bio(BIO_new_file(file.c_str(), "w"));
  if (!bio) return cannotOpen(file);
  if (PEM_write_bio_X509_CRL(bio.get(), crl) != 1) return "cannot write " + file.string() + ": " + takeOpensslErrors();
  return {};
}

namespace {
std::string drain(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}
}  // namespace

std::string certificatesPem(const std::vector<X509*>& certs) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  for (X509* cert : certs)
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return drain(bio.get());
}

std::string privateKeyPem(EVP_PKEY* key, const std::string& header) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || BIO_write(bio.get(), header.data(), static_cast<int>(header.size())) != static_cast<int>(header.size()) ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  return drain(bio.get());
}

std::string teachingKeyHeader(const std::string& what) {
  std::ostringstream out;
  out << "# tlslab lab PKI -- PUBLIC TEACHING MATERIAL, NOT A SECRET.\n"
      << "# This private key is published on purpose with tlslab so that students can\n"
      << "# decrypt and forge lab traffic. Anyone can read it: never use it, or any\n"
      << "# certificate for it, outside the lab.\n"
      << "# Key of: " << what << "\n";
  return out.str();
}

}  // namespace tlslab::pki
