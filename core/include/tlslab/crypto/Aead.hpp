#pragma once
// One AEAD decryption by hand (RFC 5116 §2.2): key, nonce, additional data
// and ciphertext||tag in, plaintext out, or an error when the tag does not
// verify. What a student runs after deriving a record's key and building its
// nonce and additional data themselves (RFC 8446 §5.2, §5.3); the dissector
// opens records through RecordCipher instead.
#include <optional>
#include <string_view>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

// "aes-128-gcm", "aes-256-gcm", "chacha20-poly1305" (as OpenSSL names them), or a TLS 1.3 suite name.
std::optional<CipherAlg> aeadCipherFromName(std::string_view name);
// Key length the cipher needs (16 or 32); 0 for non-AEAD ciphers.
std::size_t aeadKeyLength(CipherAlg cipher);

// ciphertextAndTag ends with the 16-byte tag. Fails, naming what is wrong,
// on bad lengths or when the tag does not verify; never returns unverified plaintext.
Result<Bytes> aeadOpen(CipherAlg cipher, ByteView key, ByteView nonce, ByteView aad, ByteView ciphertextAndTag);

}  // namespace tlslab::crypto
