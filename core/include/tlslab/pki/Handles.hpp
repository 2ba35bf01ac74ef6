#pragma once
// RAII owners for the OpenSSL objects pki hands out: each is a unique_ptr
// whose deleter is the matching OpenSSL free function.
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

namespace tlslab::pki {

template <auto FreeFn>
struct OsslDeleter {
  template <class T>
  void operator()(T* p) const { FreeFn(p); }
};

inline void freeX509Stack(STACK_OF(X509)* stack) { sk_X509_pop_free(stack, X509_free); }

using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, OsslDeleter<X509_CRL_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OsslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OsslDeleter<X509_STORE_CTX_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OsslDeleter<freeX509Stack>>;

// Drains OpenSSL's thread-local error queue into one line ("" when empty), so
// a failure reports OpenSSL's own reason and the queue never leaks into the
// next, unrelated call.
std::string takeOpensslErrors();

}  // namespace tlslab::pki
