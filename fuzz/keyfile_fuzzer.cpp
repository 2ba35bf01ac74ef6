// libFuzzer target for the key and certificate files a user hands tlslab:
// RSA server keys as PEM (PKCS#1, PKCS#8, encrypted PKCS#8) and PKCS#12,
// through the KeyStore as `--rsa-key` loads them (from text and from a file,
// with its size and type checks); the lab PKI's PEM certificate, key and CRL
// readers; and the ephemeral (EC)DHE key text of lab runs.
// Input: byte 0 picks the reader; the rest is the file's content.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tlslab/crypto/PrivateKey.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/pki/Pem.hpp"

namespace {

// One scratch file per process, rewritten for each input (the file readers
// take paths). Its name ends in .p12 or .pem so both loaders are reached.
class ScratchFile {
 public:
  explicit ScratchFile(const char* suffix) {
    path_ = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/tlslab-keyfile-fuzz-" +
            std::to_string(::getpid()) + suffix;
  }
  ~ScratchFile() { ::unlink(path_.c_str()); }
  const std::string& write(std::string_view bytes) {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (f == nullptr) __builtin_trap();
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) __builtin_trap();
    std::fclose(f);
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  const tlslab::ByteView bytes(data + 1, size - 1);
  static ScratchFile pem(".pem"), p12(".p12");
  tlslab::keys::KeyStore store;
  switch (data[0] % 7) {
    case 0: (void)store.addPrivateKeyPem(content); break;
    case 1: (void)store.addPrivateKeyPem(content, "tlslab"); break;  // encrypted PKCS#8 with its password
    case 2: {
      auto key = tlslab::crypto::PrivateKey::fromPkcs12(bytes, "tlslab");
      if (key.ok()) (void)key.value().decryptPreMasterSecret(bytes.first(std::min<std::size_t>(bytes.size(), 256)));
      break;
    }
    case 3: (void)store.addPrivateKeyFile(p12.write(content), "tlslab"); break;
    case 4: (void)store.addPrivateKeyFile(pem.write(content)); break;
    case 5: {
      const std::string& path = pem.write(content);
      (void)tlslab::pki::readCertificates(path);
      (void)tlslab::pki::readPrivateKey(path);
      (void)tlslab::pki::readCrl(path);
      break;
    }
    default: (void)store.addEphemeralKeyText(content, "fuzz"); break;
  }
  return 0;
}
