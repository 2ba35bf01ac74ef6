#include "tlslab/crypto/Kdf.hpp"

#include <algorithm>

#include "Ossl.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::crypto {

Bytes hkdfExtractRaw(HashAlg alg, ByteView salt, ByteView ikm) {
  // RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros,
  // which HMAC treats exactly like an empty key.
  return hmac(alg, salt, ikm);
}

Bytes hkdfExpandRaw(HashAlg alg, ByteView prk, ByteView info, std::size_t length) {
  // RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) || info || i), OKM = first L octets.
  Bytes okm;
  Bytes t;
  for (std::uint8_t i = 1; okm.size() < length && i != 0; ++i) {
    Bytes input = t;
    input.insert(input.end(), info.begin(), info.end());
    input.push_back(i);
    t = hmac(alg, prk, input);
    if (t.empty()) return {};
    okm.insert(okm.end(), t.begin(), t.end());
  }
  okm.resize(std::min(okm.size(), length));
  return okm;
}

Bytes hkdfLabelInfo(std::string_view label, ByteView context, std::size_t length) {
  // RFC 8446 §7.1: struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; }
  ByteWriter info(4 + 6 + label.size() + context.size());
  info.u16(length);
  info.prefixed(1, [&] { info.text("tls13 ").text(label); });
  info.vector(1, context);
  return std::move(info).take();
}

Bytes hkdfExpandLabelRaw(HashAlg alg, ByteView secret, std::string_view label, ByteView context,
                         std::size_t length) {
  return hkdfExpandRaw(alg, secret, hkdfLabelInfo(label, context, length), length);
}

namespace {

Bytes pHash(HashAlg alg, ByteView secret, ByteView seed, std::size_t length) {
  // RFC 5246 §5: A(0) = seed, A(i) = HMAC(secret, A(i-1));
  // P_hash = HMAC(secret, A(1) || seed) || HMAC(secret, A(2) || seed) || ...
  Bytes out;
  Bytes a(seed.begin(), seed.end());
  while (out.size() < length) {
    a = hmac(alg, secret, a);
    if (a.empty()) return {};
    Bytes input = a;
    input.insert(input.end(), seed.begin(), seed.end());
    Bytes block = hmac(alg, secret, input);
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(length);
  return out;
}

}  // namespace

Bytes prfRaw(HashAlg alg, ByteView secret, std::string_view label, ByteView seed, std::size_t length) {
  Bytes labelSeed(label.begin(), label.end());
  labelSeed.insert(labelSeed.end(), seed.begin(), seed.end());
  if (alg != HashAlg::Md5Sha1) return pHash(alg, secret, labelSeed, length);
  // RFC 2246 §5: S1 and S2 are the two halves of the secret (sharing the middle
  // byte when its length is odd); PRF = P_MD5(S1, ...) XOR P_SHA-1(S2, ...).
  const std::size_t half = (secret.size() + 1) / 2;
  Bytes md5 = pHash(HashAlg::Md5, secret.first(half), labelSeed, length);
  Bytes sha1 = pHash(HashAlg::Sha1, secret.last(half), labelSeed, length);
  for (std::size_t i = 0; i < md5.size() && i < sha1.size(); ++i) md5[i] ^= sha1[i];
  return md5;
}

namespace {

// The start of an `openssl kdf` command line (OpenSSL 3's kdf tool prints the
// output as colon-separated hex).
std::string opensslKdf(HashAlg alg, std::size_t length) {
  return "openssl kdf -keylen " + std::to_string(length) + " -kdfopt digest:" + ossl::mdName(alg);
}

// HKDF-Expand-Label by OpenSSL's own TLS 1.3 KDF (prefix "tls13 ", label, context).
std::string tls13KdfCommand(HashAlg alg, ByteView secret, std::string_view label, ByteView context,
                            std::size_t length) {
  return opensslKdf(alg, length) + " -kdfopt mode:EXPAND_ONLY -kdfopt hexkey:" + toHex(secret) +
         " -kdfopt \"prefix:tls13 \" -kdfopt \"label:" + std::string(label) + "\"" +
         (context.empty() ? std::string() : " -kdfopt hexdata:" + toHex(context)) + " TLS13-KDF";
}

}  // namespace

model::DerivationStep hkdfExtract(HashAlg alg, ByteView salt, ByteView ikm, std::string name) {
  model::DerivationStep step;
  step.name = std::move(name);
  step.function = std::string("HKDF-Extract(salt, IKM) = HMAC-") + hashName(alg) + "(salt, IKM)";
  step.inputs = {{"salt", Bytes(salt.begin(), salt.end())}, {"IKM", Bytes(ikm.begin(), ikm.end())}};
  step.output = hkdfExtractRaw(alg, salt, ikm);
  step.rfc = "RFC 5869 §2.2; RFC 8446 §7.1";
  step.command = opensslKdf(alg, hashLength(alg)) + " -kdfopt mode:EXTRACT_ONLY" +
                 (salt.empty() ? std::string() : " -kdfopt hexsalt:" + toHex(salt)) + " -kdfopt hexkey:" + toHex(ikm) +
                 " HKDF";
  return step;
}

model::DerivationStep hkdfExpandLabel(HashAlg alg, ByteView secret, std::string_view label,
                                      ByteView context, std::size_t length, std::string name) {
  model::DerivationStep step;
  step.name = std::move(name);
  step.function = "HKDF-Expand-Label(secret, \"" + std::string(label) + "\", context, " +
                  std::to_string(length) + ") with " + hashName(alg);
  step.inputs = {{"secret", Bytes(secret.begin(), secret.end())},
                 {"label", toBytes("tls13 " + std::string(label))},
                 {"context", Bytes(context.begin(), context.end())},
                 {"HkdfLabel (info)", hkdfLabelInfo(label, context, length)}};
  step.output = hkdfExpandLabelRaw(alg, secret, label, context, length);
  step.rfc = "RFC 8446 §7.1";
  step.command = tls13KdfCommand(alg, secret, label, context, length);
  return step;
}

model::DerivationStep deriveSecret(HashAlg alg, ByteView secret, std::string_view label,
                                   ByteView transcriptHash, std::string name, std::string messages) {
  model::DerivationStep step;
  step.name = std::move(name);
  const std::string over = messages.empty() ? "Messages" : messages;
  step.function = "Derive-Secret(secret, \"" + std::string(label) + "\", " + over +
                  ") = HKDF-Expand-Label(secret, \"" + std::string(label) + "\", Transcript-Hash(" +
                  over + "), " + std::to_string(hashLength(alg)) + ") with " + hashName(alg);
  step.inputs = {{"secret", Bytes(secret.begin(), secret.end())},
                 {"label", toBytes("tls13 " + std::string(label))},
                 {"Transcript-Hash(" + over + ")", Bytes(transcriptHash.begin(), transcriptHash.end())}};
  step.output = hkdfExpandLabelRaw(alg, secret, label, transcriptHash, hashLength(alg));
  step.rfc = "RFC 8446 §7.1";
  step.command = tls13KdfCommand(alg, secret, label, transcriptHash, hashLength(alg));
  return step;
}

model::DerivationStep prf(HashAlg alg, ByteView secret, std::string_view label, ByteView seed,
                          std::size_t length, std::string name) {
  model::DerivationStep step;
  step.name = std::move(name);
  if (alg == HashAlg::Md5Sha1) {
    step.function = "PRF(secret, \"" + std::string(label) + "\", seed) = P_MD5(S1, label + seed) XOR "
                    "P_SHA-1(S2, label + seed), first " + std::to_string(length) + " bytes";
    step.rfc = "RFC 2246 §5; RFC 4346 §5";
  } else {
    step.function = "PRF(secret, \"" + std::string(label) + "\", seed) = P_" + hashName(alg) +
                    "(secret, label + seed), first " + std::to_string(length) + " bytes";
    step.rfc = "RFC 5246 §5";
  }
  step.inputs = {{"secret", Bytes(secret.begin(), secret.end())},
                 {"label", toBytes(label)},
                 {"seed", Bytes(seed.begin(), seed.end())}};
  step.output = prfRaw(alg, secret, label, seed, length);
  // TLS1-PRF concatenates its seed parameters: label first, then the seed.
  step.command = opensslKdf(alg, length) + " -kdfopt hexsecret:" + toHex(secret) + " -kdfopt \"seed:" +
                 std::string(label) + "\" -kdfopt hexseed:" + toHex(seed) + " TLS1-PRF";
  return step;
}

}  // namespace tlslab::crypto
