#include "tlslab/crypto/PrivateKey.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "Ossl.hpp"

namespace tlslab::crypto {
namespace {

struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct P12Free { void operator()(PKCS12* p) const { PKCS12_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };

std::string lastOpensslError() {
  const unsigned long code = ERR_peek_last_error();
  char buf[256] = {0};
  if (code != 0) ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  return code != 0 ? std::string(buf) : std::string("unknown OpenSSL error");
}

}  // namespace

struct PrivateKey::Impl {
  ossl::Pkey pkey;
};

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

Result<PrivateKey> PrivateKey::fromPem(std::string_view pem, std::string_view password) {
  std::unique_ptr<BIO, BioFree> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) return fail("out of memory");
  std::string pass(password);
  // A non-null password pointer stops OpenSSL from prompting on the terminal.
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
  if (!raw) {
    return fail("no private key could be read from the PEM text (" + lastOpensslError() +
                "); wrong password, or not a PRIVATE KEY block?");
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(raw);
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::fromPkcs12(ByteView der, std::string_view password) {
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS12, P12Free> p12{d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()))};
  if (!p12) return fail("not a PKCS#12 file (" + lastOpensslError() + ")");
  EVP_PKEY* raw = nullptr;
  X509* cert = nullptr;
  std::string pass(password);
  if (PKCS12_parse(p12.get(), pass.c_str(), &raw, &cert, nullptr) != 1 || !raw) {
    return fail("cannot open the PKCS#12 file (" + lastOpensslError() + "); wrong password?");
  }
  std::unique_ptr<X509, X509Free> certOwner{cert};
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(raw);
  return PrivateKey(std::move(impl));
}

bool PrivateKey::isRsa() const { return EVP_PKEY_is_a(impl_->pkey.get(), "RSA") == 1; }
int PrivateKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

std::string PrivateKey::description() const {
  return std::string(EVP_PKEY_get0_type_name(impl_->pkey.get())) + " " + std::to_string(bits()) + "-bit";
}

Bytes PrivateKey::modulusPrefix() const {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(impl_->pkey.get(), "n", &n) != 1) return {};
  std::unique_ptr<BIGNUM, BnFree> owner{n};
  Bytes out(static_cast<std::size_t>(BN_num_bytes(n)));
  BN_bn2bin(n, out.data());
  if (out.size() > 8) out.resize(8);
  return out;
}

Result<Bytes> PrivateKey::decryptPreMasterSecret(ByteView encrypted) const {
  if (!isRsa()) return fail("the key is " + description() + ", not RSA: it cannot decrypt a pre-master secret");
  ossl::PkeyCtx ctx{EVP_PKEY_CTX_new(impl_->pkey.get(), nullptr)};
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return fail("cannot set up RSA decryption (" + lastOpensslError() + ")");
  }
  std::size_t len = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &len, encrypted.data(), encrypted.size()) != 1) {
    return fail("RSA decryption failed (" + lastOpensslError() + ")");
  }
  Bytes out(len);
  if (EVP_PKEY_decrypt(ctx.get(), out.data(), &len, encrypted.data(), encrypted.size()) != 1) {
    return fail("RSA decryption failed: this is not the key the ClientKeyExchange was encrypted to (" +
                lastOpensslError() + ")");
  }
  out.resize(len);
  if (out.size() != 48) {
    return fail("decrypted " + std::to_string(out.size()) + " bytes; a pre-master secret is 48 (wrong key?)");
  }
  return out;
}

model::DerivationStep recoverRsaPreMasterSecret(const PrivateKey& key, ByteView encryptedPms) {
  model::DerivationStep step;
  step.name = "pre_master_secret";
  step.node = model::ScheduleNode::PreMasterSecret;
  step.function = "RSAES-PKCS1-v1_5 decrypt(server private key, EncryptedPreMasterSecret)";
  step.inputs = {{"EncryptedPreMasterSecret (ClientKeyExchange)", Bytes(encryptedPms.begin(), encryptedPms.end())}};
  step.rfc = "RFC 5246 §7.4.7.1";
  auto pms = key.decryptPreMasterSecret(encryptedPms);
  if (!pms) {
    step.status = model::StepStatus::Failed;
    step.note = pms.error();
    return step;
  }
  step.output = *pms;
  step.note = "RSA key exchange: whoever holds the server key can decrypt every recorded session (no forward "
              "secrecy). client_version in the first two bytes: " + toHex(ByteView(step.output).first(2));
  return step;
}

}  // namespace tlslab::crypto
