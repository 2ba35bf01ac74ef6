#include <openssl/x509.h>

#include "tlslab/pki/Pem.hpp"

namespace tlslab::pki {

Bytes certificateDer(X509* cert) {
  unsigned char* der = nullptr;
  int len = cert ? i2d_X509(cert, &der) : -1;
  Bytes out;
  if (len > 0) out.assign(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace tlslab::pki
