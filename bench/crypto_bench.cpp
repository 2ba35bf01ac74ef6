// Record decryption throughput: tlslab's RecordCipher on a stream of 16 KiB
// application-data records, next to the raw OpenSSL EVP throughput of the
// same cipher on the same bytes, measured in the same run. Goal: tlslab
// reaches >= 80 % of raw EVP (scripts/bench.sh prints the ratios; see
// docs/benchmarks.md).
//
// Each pair is named <case>/tlslab and <case>/raw_evp. The raw loop does the
// minimum a record layer must: set the per-record nonce/IV, process the AAD
// and ciphertext, check the tag (or HMAC) - no copies, no explanation.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "tlslab/crypto/RecordCipher.hpp"

namespace {

using namespace tlslab;
using namespace tlslab::crypto;

constexpr std::size_t kRecordPlaintext = 16384;
constexpr std::size_t kRecords = 64;  // 1 MiB of application data per iteration

struct Stream {
  std::vector<Bytes> records;
  TrafficKeys keys;
  const CipherSuite* suite = nullptr;
  std::uint16_t version = kTls13;
};

Stream makeStream(std::uint16_t suiteId, std::uint16_t version) {
  Stream s;
  s.suite = findSuite(suiteId);
  s.version = version;
  s.keys = {Bytes(s.suite->keyLength, 0x42), Bytes(s.suite->fixedIvLength, 0x24), Bytes(s.suite->macLength, 0x17)};
  auto cipher = RecordCipher::create(*s.suite, s.keys, version).value();
  Bytes plain(kRecordPlaintext);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<std::uint8_t>(i * 31);
  for (std::size_t i = 0; i < kRecords; ++i) s.records.push_back(cipher.encrypt(23, plain, i).value());
  return s;
}

void tlslabDecrypt(benchmark::State& state, std::uint16_t suiteId, std::uint16_t version) {
  const Stream s = makeStream(suiteId, version);
  auto cipher = RecordCipher::create(*s.suite, s.keys, version).value();
  model::RecordCrypto out;
  for (auto _ : state) {
    for (std::size_t i = 0; i < s.records.size(); ++i) {
      cipher.decryptInto(s.records[i], i, out, /*keepDetail=*/false);
      if (out.verdict != model::RecordVerdict::Decrypted) state.SkipWithError("decryption failed");
    }
    benchmark::DoNotOptimize(out.plaintext.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRecords * kRecordPlaintext));
}

const EVP_CIPHER* evpFor(CipherAlg alg) {
  switch (alg) {
    case CipherAlg::Aes128Gcm: return EVP_aes_128_gcm();
    case CipherAlg::ChaCha20Poly1305: return EVP_chacha20_poly1305();
    case CipherAlg::Aes128Cbc: return EVP_aes_128_cbc();
    default: return nullptr;
  }
}

// Raw EVP AEAD, TLS 1.3 style: nonce = iv XOR seq, AAD = header, tag last.
void rawAead(benchmark::State& state, std::uint16_t suiteId) {
  const Stream s = makeStream(suiteId, kTls13);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  EVP_DecryptInit_ex(ctx.get(), evpFor(s.suite->cipher), nullptr, s.keys.key.data(), nullptr);
  Bytes out(kRecordPlaintext + 64);
  for (auto _ : state) {
    for (std::size_t i = 0; i < s.records.size(); ++i) {
      const Bytes& rec = s.records[i];
      std::uint8_t nonce[12];
      for (int b = 0; b < 12; ++b) nonce[b] = s.keys.iv[static_cast<std::size_t>(b)];
      for (int b = 0; b < 8; ++b) nonce[11 - b] ^= static_cast<std::uint8_t>(i >> (8 * b));
      int len = 0;
      const int ctLen = static_cast<int>(rec.size() - 5 - 16);
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, nonce);
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, rec.data(), 5);
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, rec.data() + 5, ctLen);
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, const_cast<std::uint8_t*>(rec.data() + 5 + ctLen));
      if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) <= 0) state.SkipWithError("tag");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRecords * kRecordPlaintext));
}

// Raw EVP for TLS 1.2 AES-128-CBC + HMAC-SHA256, MAC-then-encrypt: CBC-decrypt
// the fragment (after the 16-byte explicit IV), then HMAC the content once.
void rawCbcHmac(benchmark::State& state) {
  const Stream s = makeStream(0xC027, kTls12);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, s.keys.key.data(), nullptr);
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> mctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
  char digestName[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0), OSSL_PARAM_construct_end()};
  Bytes out(kRecordPlaintext + 128);
  std::uint8_t tag[64];
  for (auto _ : state) {
    for (std::size_t i = 0; i < s.records.size(); ++i) {
      const Bytes& rec = s.records[i];
      int len = 0;
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, rec.data() + 5);
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, rec.data() + 21, static_cast<int>(rec.size() - 21));
      const std::size_t content = static_cast<std::size_t>(len) - (out[static_cast<std::size_t>(len) - 1] + 1u) - 32;
      std::uint8_t header[13] = {0};
      EVP_MAC_init(mctx.get(), s.keys.macKey.data(), s.keys.macKey.size(), params);
      EVP_MAC_update(mctx.get(), header, sizeof header);
      EVP_MAC_update(mctx.get(), out.data(), content);
      std::size_t tagLen = 0;
      EVP_MAC_final(mctx.get(), tag, &tagLen, sizeof tag);
    }
    benchmark::DoNotOptimize(tag);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRecords * kRecordPlaintext));
}

BENCHMARK_CAPTURE(tlslabDecrypt, tls13_aes128gcm/tlslab, 0x1301, kTls13)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(rawAead, tls13_aes128gcm/raw_evp, 0x1301)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(tlslabDecrypt, tls13_chacha20/tlslab, 0x1303, kTls13)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(rawAead, tls13_chacha20/raw_evp, 0x1303)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(tlslabDecrypt, tls12_aes128cbc_sha256/tlslab, 0xC027, kTls12)->Unit(benchmark::kMicrosecond);
BENCHMARK(rawCbcHmac)->Name("rawCbcHmac/tls12_aes128cbc_sha256/raw_evp")->Unit(benchmark::kMicrosecond);

}  // namespace
