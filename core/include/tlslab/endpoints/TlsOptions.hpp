#pragma once
// The TLS knobs a lab turns, shared by LabServer and LabClient.
#include <cstddef>
#include <string>
#include <vector>

namespace tlslab::endpoints {

enum class TlsVersion { Tls1_2, Tls1_3 };
const char* versionName(TlsVersion version);

// Cleartext protocols that upgrade to TLS on the same connection.
enum class Starttls { None, Smtp, Pop3, Imap };
const char* starttlsName(Starttls protocol);

struct TlsOptions {
  TlsVersion minVersion = TlsVersion::Tls1_2;
  TlsVersion maxVersion = TlsVersion::Tls1_3;
  std::string cipherList;    // TLS 1.2 suites, OpenSSL syntax ("" = OpenSSL default)
  std::string cipherSuites;  // TLS 1.3 suites ("" = OpenSSL default)
  std::string groups;        // e.g. "X25519:P-256" ("" = default)
  std::string sigalgs;       // e.g. "ECDSA+SHA256:RSA-PSS+SHA256" ("" = default)
  std::vector<std::string> alpn;  // protocols in preference order
  // TLS 1.2 CBC suites: offer/accept encrypt_then_mac (RFC 7366), OpenSSL's
  // default. false keeps the original MAC-then-encrypt of RFC 5246 §6.2.3.2.
  bool encryptThenMac = true;
  // TLS 1.3: pad every record's TLSInnerPlaintext (content + type byte) to a
  // multiple of this many bytes (RFC 8446 §5.4; SSL_CTX_set_block_padding). 0 = none.
  std::size_t blockPadding = 0;
  // A pre-shared key (RFC 4279; TLS 1.3 external PSK through OpenSSL's
  // compatibility callbacks): empty = none. The client sends pskIdentity; the
  // server accepts only it ("" = client sends "tlslab", server accepts any). With a PSK and no cipherList,
  // the TLS 1.2 list is OpenSSL's "PSK" (every suite using one); with no
  // cipherSuites, TLS 1.3 offers only SHA-256 suites (OpenSSL binds such a PSK to SHA-256).
  std::string psk;  // raw key bytes
  std::string pskIdentity;
};

}  // namespace tlslab::endpoints
