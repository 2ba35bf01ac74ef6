// `tlslab keys aead-decrypt`: one AEAD decryption with the key, nonce and
// additional data the student built, so decrypting a record is done by hand:
// nonce = iv XOR sequence number (RFC 8446 §5.3), additional data = the
// record's 5-byte header (§5.2). The plaintext is then read as a TLS 1.3
// TLSInnerPlaintext: content, real content type, zero padding.
#include <fmt/core.h>

#include <iostream>
#include <string>

#include "cli/KeysAead.hpp"
#include "tlslab/crypto/Aead.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::cli {
namespace {

struct AeadArgs {
  std::string cipher, key, nonce, aad, ciphertext;
};

bool printable(ByteView bytes) {
  for (std::uint8_t b : bytes)
    if (!(b == '\r' || b == '\n' || b == '\t' || (b >= 0x20 && b < 0x7f))) return false;
  return true;
}

// RFC 8446 §5.2: strip the zero padding; the last non-zero byte is the type.
void printInnerPlaintext(const Bytes& plain) {
  std::size_t end = plain.size();
  while (end > 0 && plain[end - 1] == 0) --end;
  if (end == 0) {
    std::cout << "    as TLSInnerPlaintext: only zeros, no content type (RFC 8446 §5.2 makes that an error)\n";
    return;
  }
  const std::uint8_t type = plain[end - 1];
  const ByteView content = ByteView(plain).first(end - 1);
  std::cout << fmt::format("    as TLS 1.3 TLSInnerPlaintext (RFC 8446 §5.2): {} bytes of content, content type {} ({}), "
                           "{} bytes of zero padding\n",
                           content.size(), type, wire::contentTypeName(type), plain.size() - end);
  if (printable(content)) {
    std::string text(content.begin(), content.end());
    std::cout << "    content (text):\n";
    std::size_t at = 0;
    while (at <= text.size()) {
      std::size_t nl = text.find('\n', at);
      std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (nl == std::string::npos && line.empty()) break;
      std::cout << "      " << line << "\n";
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
  }
}

int runAead(const AeadArgs& a) {
  auto usage = [](const std::string& message) {
    std::cerr << "tlslab keys aead-decrypt: " << message << "\n";
    return 2;
  };
  auto cipher = crypto::aeadCipherFromName(a.cipher);
  if (!cipher) return usage("--cipher must be aes-128-gcm, aes-256-gcm or chacha20-poly1305, not \"" + a.cipher + "\"");
  auto hex = [](const std::string& value) { return value.empty() ? std::optional<Bytes>() : fromHex(value); };
  auto key = hex(a.key), nonce = hex(a.nonce), ciphertext = hex(a.ciphertext);
  auto aad = a.aad.empty() ? std::optional<Bytes>(Bytes{}) : fromHex(a.aad);
  if (!key) return usage("--key is required, in hex");
  if (!nonce) return usage("--nonce is required, in hex (the IV XOR the sequence number)");
  if (!aad) return usage("--aad is not valid hex (a TLS 1.3 record's is its 5-byte header)");
  if (!ciphertext) return usage("--ciphertext is required, in hex: the record's fragment, the tag at its end");
  if (key->size() != crypto::aeadKeyLength(*cipher))
    return usage(fmt::format("--key has {} bytes; {} takes {}", key->size(), crypto::cipherName(*cipher),
                             crypto::aeadKeyLength(*cipher)));
  if (nonce->size() != 12) return usage(fmt::format("--nonce has {} bytes; a TLS record nonce has 12", nonce->size()));
  if (ciphertext->size() < 16) return usage("--ciphertext is shorter than the 16-byte tag it must end with");
  std::cout << fmt::format("AEAD decryption (RFC 5116), {}\n", crypto::cipherName(*cipher));
  std::cout << "    key: " << toHex(*key) << "\n    nonce: " << toHex(*nonce)
            << "\n    additional data: " << (aad->empty() ? "(empty)" : toHex(*aad)) << "\n";
  std::cout << fmt::format("    ciphertext: {} bytes, then the 16-byte tag\n",
                           ciphertext->size() >= 16 ? ciphertext->size() - 16 : 0);
  auto plain = crypto::aeadOpen(*cipher, *key, *nonce, *aad, *ciphertext);
  if (!plain) {
    std::cout << "[FAILED] " << plain.error() << "\n";
    return 1;
  }
  std::cout << "[OK] the tag verifies: the plaintext is authentic\n";
  std::cout << fmt::format("    plaintext ({} bytes): {}\n", plain->size(), toHex(*plain));
  printInnerPlaintext(*plain);
  return 0;
}

}  // namespace

void addAeadDecryptCommand(CLI::App& keys, Context& ctx) {
  static AeadArgs args;
  auto* cmd = keys.add_subcommand("aead-decrypt", "Open one record by hand: AEAD decryption with your key, nonce and "
                                                  "additional data (RFC 5116; TLS 1.3 records: RFC 8446 §5.2, §5.3)");
  cmd->add_option("--cipher", args.cipher, "aes-128-gcm, aes-256-gcm or chacha20-poly1305 (or the TLS 1.3 suite)");
  cmd->add_option("--key", args.key, "the write key (hex)");
  cmd->add_option("--nonce", args.nonce, "12 bytes (hex): the write iv XOR the record's sequence number");
  cmd->add_option("--aad", args.aad, "additional data (hex): for TLS 1.3 the record's 5-byte header");
  cmd->add_option("--ciphertext", args.ciphertext, "the record's fragment (hex), the 16-byte tag at its end");
  cmd->footer("Exit status: 0 the tag verified and the plaintext is printed; 1 it did not (nothing is decrypted); "
              "2 bad usage.");
  cmd->callback([&ctx] { ctx.exitCode = runAead(args); });
}

}  // namespace tlslab::cli
