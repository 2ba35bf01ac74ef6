#include "tlslab/crypto/PrivateKey.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
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

// A library context of its own, with the default and the legacy providers,
// for reading PKCS#12 files only: most older .p12 files encrypt with RC2-40
// or 3DES, which OpenSSL 3 keeps in the legacy provider. Loading that
// provider into the default context would make RC4, DES and friends
// fetchable by every libssl endpoint of the labs as well; here they can only
// open a key file. Created once, never freed (keys read through it keep
// pointing into it).
OSSL_LIB_CTX* pkcs12Context() {
  static OSSL_LIB_CTX* ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c != nullptr) {
      OSSL_PROVIDER_load(c, "default");
      OSSL_PROVIDER_load(c, "legacy");  // may be missing: then legacy files say "unsupported"
    }
    return c;
  }();
  return ctx;
}

// PKCS12_parse takes no library context: it uses the thread's default one,
// which is switched to pkcs12Context() for the length of one call.
class InPkcs12Context {
 public:
  InPkcs12Context() : previous_(OSSL_LIB_CTX_set0_default(pkcs12Context())) {}
  ~InPkcs12Context() { OSSL_LIB_CTX_set0_default(previous_); }
  InPkcs12Context(const InPkcs12Context&) = delete;
  InPkcs12Context& operator=(const InPkcs12Context&) = delete;

 private:
  OSSL_LIB_CTX* previous_;
};

// What the error queue says, emptying it: its last message, and whether an
// algorithm could not be fetched (a cipher or MAC no loaded provider
// implements) rather than a decryption failing.
struct QueuedError {
  std::string message;
  bool unsupported = false;
};

QueuedError takeErrors() {
  QueuedError out;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    const int reason = ERR_GET_REASON(code);
    if (reason == ERR_R_UNSUPPORTED || reason == EVP_R_UNSUPPORTED_ALGORITHM) out.unsupported = true;
    char buf[256] = {0};
    ERR_error_string_n(code, buf, sizeof buf);
    out.message = buf;
  }
  if (out.message.empty()) out.message = "unknown OpenSSL error";
  return out;
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
  InPkcs12Context scope;
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS12, P12Free> p12{d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()))};
  if (!p12) return fail("not a PKCS#12 file (" + lastOpensslError() + ")");
  const std::string pass(password);
  // The MAC is keyed by the password alone (RFC 7292 §5, appendix B): checking
  // it first tells a wrong password apart from a cipher OpenSSL cannot run.
  const bool hasMac = PKCS12_mac_present(p12.get()) == 1;
  ERR_clear_error();
  if (hasMac && PKCS12_verify_mac(p12.get(), pass.c_str(), static_cast<int>(pass.size())) != 1) {
    QueuedError e = takeErrors();
    if (e.unsupported)
      return fail("cannot check the PKCS#12 file's MAC: its algorithm is not supported by this OpenSSL (" +
                  e.message + ")");
    return fail("wrong password: the PKCS#12 file's integrity MAC does not match it");
  }
  EVP_PKEY* raw = nullptr;
  X509* cert = nullptr;
  ERR_clear_error();
  if (PKCS12_parse(p12.get(), pass.c_str(), &raw, &cert, nullptr) != 1) {
    QueuedError e = takeErrors();
    if (e.unsupported)
      return fail("the PKCS#12 file is encrypted with an algorithm this OpenSSL does not support (" + e.message +
                  "; is OpenSSL's legacy provider, which has RC2, installed?)" +
                  (hasMac ? "; the password is right: the file's MAC matches it" : ""));
    return fail("cannot open the PKCS#12 file (" + e.message + ")" +
                (hasMac ? "" : "; the file has no MAC, so a wrong password shows only here"));
  }
  std::unique_ptr<X509, X509Free> certOwner{cert};
  if (!raw) return fail("the PKCS#12 file holds no private key, only certificates");
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
