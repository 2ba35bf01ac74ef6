#include "tlslab/pki/Verify.hpp"

#include <openssl/x509v3.h>

#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/X509Text.hpp"

namespace tlslab::pki {
namespace fs = std::filesystem;
namespace {

int recorderIndex() {
  static const int index = X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Records and continues (returns 1) so later depths are still checked and
// shown; the verdict keeps the first error, where a real client would stop.
int recordingCallback(int ok, X509_STORE_CTX* ctx) {
  auto* recorder = static_cast<VerifyRecorder*>(X509_STORE_CTX_get_ex_data(ctx, recorderIndex()));
  if (recorder != nullptr) recorder->record(ctx, ok);
  return 1;
}

int opensslPurpose(Purpose purpose) {
  switch (purpose) {
    case Purpose::TlsServer: return X509_PURPOSE_SSL_SERVER;
    case Purpose::TlsClient: return X509_PURPOSE_SSL_CLIENT;
    case Purpose::Any: return X509_PURPOSE_ANY;
    default: return X509_PURPOSE_ANY;
  }
}

void applyOptions(X509_STORE_CTX* ctx, const VerifyOptions& options) {
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_STORE_CTX_set_purpose(ctx, opensslPurpose(options.purpose));
  X509_VERIFY_PARAM_set_auth_level(param, options.authLevel);
  if (options.checkCrl) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
  if (options.atTime) X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(*options.atTime));
  if (options.host) {
    X509_VERIFY_PARAM_set1_host(param, options.host->c_str(), options.host->size());
    X509_VERIFY_PARAM_set_hostflags(param, options.allowCnFallback ? 0U : X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  }
}

model::VerifyStep stepFor(X509* cert, int depth) {
  model::VerifyStep step;
  step.depth = depth;
  if (cert != nullptr) {
    step.subject = nameLine(X509_get_subject_name(cert));
    step.issuer = nameLine(X509_get_issuer_name(cert));
    step.notBefore = timeLine(X509_get0_notBefore(cert));
    step.notAfter = timeLine(X509_get0_notAfter(cert));
  }
  step.errorName = verifyErrorName(0);
  step.errorText = X509_verify_cert_error_string(0);
  return step;
}

}  // namespace

const char* trustStoreName(TrustStore trust) {
  switch (trust) {
    case TrustStore::Lab: return "lab";
    case TrustStore::LabPlusRogue: return "lab+rogue";
    case TrustStore::Hashed: return "hashed";
    default: return "unknown";
  }
}

std::optional<TrustStore> parseTrustStore(std::string_view name) {
  for (TrustStore t : {TrustStore::Lab, TrustStore::LabPlusRogue, TrustStore::Hashed}) {
    if (name == trustStoreName(t)) return t;
  }
  return std::nullopt;
}

model::VerifyStep recordVerifyStep(X509_STORE_CTX* ctx, int ok) {
  model::VerifyStep step = stepFor(X509_STORE_CTX_get_current_cert(ctx), X509_STORE_CTX_get_error_depth(ctx));
  step.ok = ok != 0;
  step.errorCode = ok != 0 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  step.errorName = verifyErrorName(step.errorCode);
  step.errorText = X509_verify_cert_error_string(step.errorCode);
  return step;
}

std::vector<model::VerifyStep> builtChainSteps(X509_STORE_CTX* ctx) {
  std::vector<model::VerifyStep> steps;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  const int length = chain != nullptr ? sk_X509_num(chain) : 0;
  for (int depth = 0; depth < length; ++depth) steps.push_back(stepFor(sk_X509_value(chain, depth), depth));
  return steps;
}

model::VerifyVerdict VerifyRecorder::finish(STACK_OF(X509)* chain, int returned, int storeError) const {
  model::VerifyVerdict verdict;
  verdict.events = events_;
  const int length = chain != nullptr ? sk_X509_num(chain) : 0;
  for (int depth = 0; depth < length; ++depth) verdict.steps.push_back(stepFor(sk_X509_value(chain, depth), depth));
  verdict.builtChain = verdict.steps;
  for (const auto& event : events_) {
    if (event.ok) continue;
    if (verdict.errorDepth < 0) {
      verdict.errorCode = event.errorCode;
      verdict.errorName = event.errorName;
      verdict.errorText = event.errorText;
      verdict.errorDepth = event.depth;
    }
    if (event.depth < 0 || event.depth >= length) continue;
    auto& step = verdict.steps[static_cast<std::size_t>(event.depth)];
    if (!step.ok) continue;  // keep the first error at each depth
    step.ok = false;
    step.errorCode = event.errorCode;
    step.errorName = event.errorName;
    step.errorText = event.errorText;
  }
  if (verdict.errorDepth < 0 && returned <= 0) {
    // Failed without telling the callback (e.g. out of memory): still report it.
    verdict.errorCode = storeError != X509_V_OK ? storeError : X509_V_ERR_UNSPECIFIED;
    verdict.errorName = verifyErrorName(verdict.errorCode);
    verdict.errorText = X509_verify_cert_error_string(verdict.errorCode);
    verdict.errorDepth = 0;
  }
  verdict.ok = verdict.errorDepth < 0;
  if (verdict.ok) {
    verdict.errorName = verifyErrorName(X509_V_OK);
    verdict.errorText = X509_verify_cert_error_string(X509_V_OK);
  }
  return verdict;
}

model::VerifyVerdict verifyChain(X509* leaf, STACK_OF(X509)* untrusted, X509_STORE* store,
                                 const VerifyOptions& options) {
  VerifyRecorder recorder;
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, untrusted) != 1) {
    takeOpensslErrors();
    return recorder.finish(nullptr, 0, X509_V_ERR_OUT_OF_MEM);
  }
  applyOptions(ctx.get(), options);
  X509_STORE_CTX_set_ex_data(ctx.get(), recorderIndex(), &recorder);
  X509_STORE_CTX_set_verify_cb(ctx.get(), recordingCallback);
  int returned = X509_verify_cert(ctx.get());
  takeOpensslErrors();  // verification errors live in the ctx, not the queue
  return recorder.finish(X509_STORE_CTX_get0_chain(ctx.get()), returned, X509_STORE_CTX_get_error(ctx.get()));
}

namespace {

std::string addCertFile(X509_STORE* store, const fs::path& file) {
  auto cert = readCertificate(file);
  if (!cert) return cert.error();
  if (X509_STORE_add_cert(store, cert->get()) != 1) return "cannot trust " + file.string() + ": " + takeOpensslErrors();
  return {};
}

}  // namespace

Result<X509StorePtr> makeTrustStore(const fs::path& certsDir, TrustStore trust, bool withCrl) {
  X509StorePtr store(X509_STORE_new());
  if (!store) return Result<X509StorePtr>::failure("X509_STORE_new: " + takeOpensslErrors());
  std::string err;
  if (trust == TrustStore::Hashed) {
    // Lookups by subject hash happen lazily during verification, as in libssl.
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store.get(), X509_LOOKUP_hash_dir());
    fs::path dir = certsDir / kHashedDir;
    if (!fs::is_directory(dir)) return Result<X509StorePtr>::failure("no hashed directory " + dir.string());
    if (lookup == nullptr || X509_LOOKUP_add_dir(lookup, dir.c_str(), X509_FILETYPE_PEM) != 1) {
      return Result<X509StorePtr>::failure("cannot use " + dir.string() + ": " + takeOpensslErrors());
    }
    return Result<X509StorePtr>::success(std::move(store));
  }
  err = addCertFile(store.get(), certsDir / "root-ca" / kCertFile);
  if (err.empty() && trust == TrustStore::LabPlusRogue) err = addCertFile(store.get(), certsDir / "rogue-ca" / kCertFile);
  if (err.empty() && withCrl) {
    auto crl = readCrl(certsDir / "issuing-ca" / kCrlFile);
    if (!crl) err = crl.error();
    else if (X509_STORE_add_crl(store.get(), crl->get()) != 1) err = "cannot add CRL: " + takeOpensslErrors();
  }
  if (!err.empty()) return Result<X509StorePtr>::failure(err);
  return Result<X509StorePtr>::success(std::move(store));
}

Result<X509StorePtr> makeTrustStoreFrom(const std::vector<fs::path>& caFiles, const fs::path& hashedDir) {
  X509StorePtr store(X509_STORE_new());
  if (!store) return Result<X509StorePtr>::failure("X509_STORE_new: " + takeOpensslErrors());
  for (const auto& file : caFiles)
    if (auto err = addCertFile(store.get(), file); !err.empty()) return Result<X509StorePtr>::failure(err);
  if (!hashedDir.empty()) {
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store.get(), X509_LOOKUP_hash_dir());
    if (!fs::is_directory(hashedDir)) return Result<X509StorePtr>::failure(hashedDir.string() + " is not a folder");
    if (lookup == nullptr || X509_LOOKUP_add_dir(lookup, hashedDir.c_str(), X509_FILETYPE_PEM) != 1)
      return Result<X509StorePtr>::failure("cannot use " + hashedDir.string() + ": " + takeOpensslErrors());
  }
  return Result<X509StorePtr>::success(std::move(store));
}

Result<model::VerifyVerdict> verifyChainFile(const fs::path& certsDir, const fs::path& chainFile,
                                             const VerifyOptions& options) {
  auto store = makeTrustStore(certsDir, options.trust, options.checkCrl);
  if (!store) return Result<model::VerifyVerdict>::failure(store.error());
  return verifyChainFileIn(store->get(), chainFile, options);
}

Result<model::VerifyVerdict> verifyChainFileIn(X509_STORE* store, const fs::path& chainFile,
                                               const VerifyOptions& options) {
  auto certs = readCertificates(chainFile);
  if (!certs) return Result<model::VerifyVerdict>::failure(certs.error());
  X509StackPtr untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < certs->size(); ++i) {
    if (!untrusted || sk_X509_push(untrusted.get(), (*certs)[i].get()) <= 0) {
      return Result<model::VerifyVerdict>::failure("out of memory building the chain: " + takeOpensslErrors());
    }
    X509_up_ref((*certs)[i].get());  // the stack owns one reference of its own
  }
  return Result<model::VerifyVerdict>::success(verifyChain(certs->front().get(), untrusted.get(), store, options));
}

VerifyOptions clientOptions(const CatalogEntry& entry, TrustStore trust) {
  VerifyOptions options;
  options.trust = trust;
  if (!entry.host.empty()) options.host = std::string(entry.host);
  options.purpose = entry.purpose;
  options.checkCrl = entry.checkCrl;
  return options;
}

Result<model::VerifyVerdict> verifyEntry(const fs::path& certsDir, const CatalogEntry& entry,
                                         const VerifyOptions& options) {
  fs::path dir = certsDir / entry.dir;
  fs::path file = fs::exists(dir / kChainFile) ? dir / kChainFile : dir / kCertFile;
  return verifyChainFile(certsDir, file, options);
}

}  // namespace tlslab::pki
