// The server's certificate chain and key, from the lab PKI, from files a
// student made (lab 5: the student is the CA), or from memory (a forged
// certificate). Students make mistakes here, so each one gets a message that
// says which file and what to do, not only OpenSSL's error queue.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>

#include "ServerIdentity.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::endpoints {

namespace {

using BioPtr = std::unique_ptr<BIO, pki::OsslDeleter<BIO_free>>;

std::string useChainFromMemory(SSL_CTX* ctx, const std::string& chainPem, const std::string& keyPem) {
  BioPtr certs(BIO_new_mem_buf(chainPem.data(), static_cast<int>(chainPem.size())));
  pki::X509Ptr leaf(PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr));
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) return "cannot use the in-memory certificate: " + sslErrors();
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr))
    SSL_CTX_add0_chain_cert(ctx, extra);  // the context takes ownership
  ERR_clear_error();  // the loop ends on "no start line"
  BioPtr keyBio(BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size())));
  pki::EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!key || SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) return "cannot use the in-memory key: " + sslErrors();
  return {};
}

// At most the first 1 MiB: enough for any chain, and a bound on what a wrong
// path (a video, /dev/zero) makes us read.
std::string head(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text(1 << 20, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// "" when `file` is a readable PEM file holding `label` (RFC 7468 §2), else why not.
std::string checkPemFile(const std::filesystem::path& file, const char* what, bool wantKey) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return file.string() + ": no such file";
  if (std::filesystem::is_directory(file, ec)) return file.string() + " is a directory, not a PEM file";
  std::ifstream probe(file);
  if (!probe) return file.string() + ": cannot be read (permissions?)";
  const std::string text = head(file);
  const bool hasCert = text.find("-----BEGIN CERTIFICATE-----") != std::string::npos;
  const bool hasKey = text.find("PRIVATE KEY-----") != std::string::npos;
  if (wantKey && !hasKey)
    return file.string() + (hasCert ? " holds a certificate, not a private key (are --cert-file and --key-file swapped?)"
                                    : " is not a PEM private key: no '-----BEGIN ... PRIVATE KEY-----' line");
  if (!wantKey && !hasCert)
    return file.string() + (hasKey ? " holds a private key, not a certificate (are --cert-file and --key-file swapped?)"
                                   : std::string(" is not a PEM ") + what +
                                         ": no '-----BEGIN CERTIFICATE-----' line (a DER file converts with "
                                         "`openssl x509 -inform DER -in FILE -out FILE.pem`)");
  return {};
}

// Which certificate of the chain file, if any, the key belongs to: the
// usual mistake is a chain written CA first.
std::string keyMismatch(const ServerConfig& config) {
  auto certs = pki::readCertificates(config.chainFile);
  auto key = pki::readPrivateKey(config.keyFile);
  ERR_clear_error();
  std::string base = "the private key " + config.keyFile.string() + " does not belong to the first certificate of " +
                     config.chainFile.string() + " (the server's own certificate)";
  if (!certs || !key) return base;
  for (std::size_t i = 1; i < certs->size(); ++i)
    if (X509_check_private_key((*certs)[i].get(), key->get()) == 1) {
      ERR_clear_error();
      return base + ": it matches certificate " + std::to_string(i + 1) +
             " of the file; put the server's certificate first, then its issuers (RFC 8446 §4.4.2)";
    }
  ERR_clear_error();
  return base + ": they were not made as a pair (the key that signed the request for this certificate is another one)";
}

}  // namespace

std::string loadServerIdentity(SSL_CTX* ctx, const ServerConfig& config) {
  if (!config.chainPem.empty()) {
    if (auto err = useChainFromMemory(ctx, config.chainPem, config.keyPem); !err.empty()) return err;
  } else {
    if (auto err = checkPemFile(config.chainFile, "certificate chain", false); !err.empty())
      return "cannot load certificate chain: " + err;
    if (auto err = checkPemFile(config.keyFile, "private key", true); !err.empty()) return "cannot load private key: " + err;
    if (SSL_CTX_use_certificate_chain_file(ctx, config.chainFile.c_str()) != 1)
      return "cannot load certificate chain " + config.chainFile.string() + ": " + sslErrors();
    if (SSL_CTX_use_PrivateKey_file(ctx, config.keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
      std::string why = sslErrors();
      // OpenSSL compares the key with the leaf as it loads it.
      if (why.find("values mismatch") != std::string::npos || why.find("key values mismatch") != std::string::npos)
        return keyMismatch(config);
      return "cannot load private key " + config.keyFile.string() + ": " + why;
    }
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    sslErrors();
    return config.chainPem.empty() ? keyMismatch(config) : "the in-memory key does not match the certificate";
  }
  return {};
}

std::string loadClientCa(SSL_CTX* ctx, const std::filesystem::path& file) {
  if (auto err = checkPemFile(file, "CA certificate", false); !err.empty()) return "cannot load client CA: " + err;
  if (SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1)
    return "cannot load client CA " + file.string() + ": " + sslErrors();
  // The CertificateRequest names the acceptable CAs (RFC 8446 §4.2.4).
  SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(file.c_str()));
  return {};
}

}  // namespace tlslab::endpoints
