#pragma once
// The key-derivation primitives of TLS as pure functions that return a
// labelled model::DerivationStep (inputs, function, output, RFC section), so
// the GUI, the CLI and the tests all see the same explained values
// (STYLE practice 8).
//
//   HKDF-Extract / HKDF-Expand ........ RFC 5869 §2.2, §2.3
//   HKDF-Expand-Label, Derive-Secret .. RFC 8446 §7.1
//   PRF (P_SHA256, P_SHA384) .......... RFC 5246 §5
//   PRF (P_MD5 xor P_SHA1) ............ RFC 2246 §5, RFC 4346 §5
#include <cstddef>
#include <string>
#include <string_view>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

// Raw byte versions (no explanation), for the record layer and for tests.
Bytes hkdfExtractRaw(HashAlg alg, ByteView salt, ByteView ikm);
Bytes hkdfExpandRaw(HashAlg alg, ByteView prk, ByteView info, std::size_t length);
// The HkdfLabel structure: uint16 length || opaque label<7..255> ("tls13 " + label)
// || opaque context<0..255> (RFC 8446 §7.1).
Bytes hkdfLabelInfo(std::string_view label, ByteView context, std::size_t length);
Bytes hkdfExpandLabelRaw(HashAlg alg, ByteView secret, std::string_view label, ByteView context,
                         std::size_t length);
// TLS PRF. alg = Sha256 or Sha384: TLS 1.2 P_<hash>; alg = Md5Sha1: the TLS 1.0/1.1
// PRF (secret split in halves, P_MD5 xor P_SHA1).
Bytes prfRaw(HashAlg alg, ByteView secret, std::string_view label, ByteView seed, std::size_t length);

// Explained versions.
model::DerivationStep hkdfExtract(HashAlg alg, ByteView salt, ByteView ikm, std::string name);
model::DerivationStep hkdfExpandLabel(HashAlg alg, ByteView secret, std::string_view label,
                                      ByteView context, std::size_t length, std::string name);
// Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
// Transcript-Hash(Messages), Hash.length). Takes the transcript hash, and a
// description of which messages it covers (e.g. "ClientHello..ServerHello").
model::DerivationStep deriveSecret(HashAlg alg, ByteView secret, std::string_view label,
                                   ByteView transcriptHash, std::string name,
                                   std::string messages = "");
model::DerivationStep prf(HashAlg alg, ByteView secret, std::string_view label, ByteView seed,
                          std::size_t length, std::string name);

}  // namespace tlslab::crypto
