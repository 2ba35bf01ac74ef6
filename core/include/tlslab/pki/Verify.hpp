#pragma once
// Chain verification with OpenSSL's X509_STORE_CTX, recorded per depth as
// model::VerifyStep. The recorder takes a bare X509_STORE_CTX*, so libssl's
// verify callback (endpoints) can feed the same steps during a handshake.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/model/Verify.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Handles.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::pki {

enum class TrustStore {
  Lab,           // certs/root-ca/cert.pem only
  LabPlusRogue,  // + certs/rogue-ca/cert.pem (a victim who installed the MITM's CA)
  Hashed,        // certs/hashed/ via X509_LOOKUP_hash_dir (CRLs as <hash>.r0 there)
};
const char* trustStoreName(TrustStore trust);               // "lab", "lab+rogue", "hashed"
std::optional<TrustStore> parseTrustStore(std::string_view name);

struct VerifyOptions {
  TrustStore trust = TrustStore::Lab;
  std::optional<std::string> host;  // checked against the leaf (RFC 6125), none = chain only
  // OpenSSL falls back to the subject CN when the leaf has no DNS SAN;
  // browsers do not (RFC 6125 §6.4.4, CA/B Forum). false = browser behaviour
  // (X509_CHECK_FLAG_NEVER_CHECK_SUBJECT).
  bool allowCnFallback = false;
  bool checkCrl = false;            // X509_V_FLAG_CRL_CHECK: the leaf's issuer CRL must be present
  Purpose purpose = Purpose::TlsServer;
  int authLevel = 2;                // Debian's default SECLEVEL=2 as libssl applies it
  std::optional<long long> atTime;  // verification time (Unix seconds), default now
};

// Symbolic name of an X509_V_ERR_* code, "X509_V_OK" for 0.
const char* verifyErrorName(int code);

// One callback invocation as a step (error 0 when ok != 0).
model::VerifyStep recordVerifyStep(X509_STORE_CTX* ctx, int ok);
// The chain as built so far (X509_STORE_CTX_get0_chain), leaf first, as
// steps with subject, issuer and validity only.
std::vector<model::VerifyStep> builtChainSteps(X509_STORE_CTX* ctx);

// Collects callback steps and turns them into per-depth steps and a verdict.
class VerifyRecorder {
 public:
  void record(X509_STORE_CTX* ctx, int ok) { events_.push_back(recordVerifyStep(ctx, ok)); }
  // `chain` is X509_STORE_CTX_get0_chain (may be null); `returned` X509_verify_cert's result.
  model::VerifyVerdict finish(STACK_OF(X509)* chain, int returned, int storeError) const;
  const std::vector<model::VerifyStep>& events() const { return events_; }

 private:
  std::vector<model::VerifyStep> events_;
};

// Verifies `leaf` with `untrusted` intermediates (may be null) against `store`.
// The callback lets verification continue past errors so every depth is
// shown; the verdict is the first error, which is what a client stops at.
model::VerifyVerdict verifyChain(X509* leaf, STACK_OF(X509)* untrusted, X509_STORE* store,
                                 const VerifyOptions& options);

// A trust store from the lab PKI folder (plus the issuing CA's CRL when asked).
Result<X509StorePtr> makeTrustStore(const std::filesystem::path& certsDir, TrustStore trust, bool withCrl);

// A trust store of one's own (a student's root CA): PEM files and/or a
// hashed directory (X509_LOOKUP_hash_dir, as SSL_CTX_load_verify_locations).
Result<X509StorePtr> makeTrustStoreFrom(const std::vector<std::filesystem::path>& caFiles,
                                        const std::filesystem::path& hashedDir = {});
// Reads a chain file (leaf first) and verifies it against `store` (options.trust is ignored).
Result<model::VerifyVerdict> verifyChainFileIn(X509_STORE* store, const std::filesystem::path& chainFile,
                                               const VerifyOptions& options);

// Reads a chain file (leaf first) and verifies it.
Result<model::VerifyVerdict> verifyChainFile(const std::filesystem::path& certsDir,
                                             const std::filesystem::path& chainFile, const VerifyOptions& options);

// Options a correct client uses for a catalog entry (its host, purpose, CRL).
VerifyOptions clientOptions(const CatalogEntry& entry, TrustStore trust = TrustStore::Lab);
// Verifies the entry's chain.pem (or cert.pem for authorities).
Result<model::VerifyVerdict> verifyEntry(const std::filesystem::path& certsDir, const CatalogEntry& entry,
                                         const VerifyOptions& options);

}  // namespace tlslab::pki
