#include "tlslab/crypto/CipherSuite.hpp"

#include <array>

namespace tlslab::crypto {
namespace {

using K = KeyExchange;
using C = CipherAlg;
using M = MacAlg;
using H = HashAlg;

// {id, name, kx, cipher, mac, prf, key, fixed iv, record iv, mac, tag}
// AEAD in TLS 1.2: GCM/CCM 4-byte salt + 8-byte explicit nonce (RFC 5288, RFC 6655);
// ChaCha20-Poly1305 12-byte IV, no explicit nonce (RFC 7905 §2).
// CBC: the key block IV is used only by TLS 1.0; TLS 1.1+ sends the IV per record.
constexpr std::array kSuites = {
    CipherSuite{0x1301, "TLS_AES_128_GCM_SHA256", K::Tls13, C::Aes128Gcm, M::Aead, H::Sha256, 16, 12, 0, 0, 16},
    CipherSuite{0x1302, "TLS_AES_256_GCM_SHA384", K::Tls13, C::Aes256Gcm, M::Aead, H::Sha384, 32, 12, 0, 0, 16},
    CipherSuite{0x1303, "TLS_CHACHA20_POLY1305_SHA256", K::Tls13, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},
    CipherSuite{0x1304, "TLS_AES_128_CCM_SHA256", K::Tls13, C::Aes128Ccm, M::Aead, H::Sha256, 16, 12, 0, 0, 16},
    CipherSuite{0x1305, "TLS_AES_128_CCM_8_SHA256", K::Tls13, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 12, 0, 0, 8},

    CipherSuite{0x0001, "TLS_RSA_WITH_NULL_MD5", K::Rsa, C::Null, M::HmacMd5, H::Sha256, 0, 0, 0, 16, 0},
    CipherSuite{0x0002, "TLS_RSA_WITH_NULL_SHA", K::Rsa, C::Null, M::HmacSha1, H::Sha256, 0, 0, 0, 20, 0},
    CipherSuite{0x003B, "TLS_RSA_WITH_NULL_SHA256", K::Rsa, C::Null, M::HmacSha256, H::Sha256, 0, 0, 0, 32, 0},
    CipherSuite{0x0004, "TLS_RSA_WITH_RC4_128_MD5", K::Rsa, C::Rc4_128, M::HmacMd5, H::Sha256, 16, 0, 0, 16, 0},
    CipherSuite{0x0005, "TLS_RSA_WITH_RC4_128_SHA", K::Rsa, C::Rc4_128, M::HmacSha1, H::Sha256, 16, 0, 0, 20, 0},
    CipherSuite{0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", K::Rsa, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", K::Rsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", K::Rsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", K::Rsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", K::Rsa, C::Aes256Cbc, M::HmacSha256, H::Sha256, 32, 16, 16, 32, 0},
    CipherSuite{0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", K::Rsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", K::Rsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0xC09C, "TLS_RSA_WITH_AES_128_CCM", K::Rsa, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC09D, "TLS_RSA_WITH_AES_256_CCM", K::Rsa, C::Aes256Ccm, M::Aead, H::Sha256, 32, 4, 8, 0, 16},
    CipherSuite{0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", K::Rsa, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", K::Rsa, C::Aes256Ccm8, M::Aead, H::Sha256, 32, 4, 8, 0, 8},

    CipherSuite{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", K::DheRsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", K::DheRsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", K::DheRsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", K::DheRsa, C::Aes256Cbc, M::HmacSha256, H::Sha256, 32, 16, 16, 32, 0},
    CipherSuite{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", K::DheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", K::DheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM", K::DheRsa, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM", K::DheRsa, C::Aes256Ccm, M::Aead, H::Sha256, 32, 4, 8, 0, 16},
    CipherSuite{0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", K::DheRsa, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", K::DheRsa, C::Aes256Ccm8, M::Aead, H::Sha256, 32, 4, 8, 0, 8},
    CipherSuite{0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::DheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    CipherSuite{0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", K::EcdheRsa, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", K::EcdheRsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", K::EcdheRsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", K::EcdheRsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", K::EcdheRsa, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", K::EcdheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", K::EcdheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    CipherSuite{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", K::EcdheEcdsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", K::EcdheEcdsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", K::EcdheEcdsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", K::EcdheEcdsa, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", K::EcdheEcdsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", K::EcdheEcdsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", K::EcdheEcdsa, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", K::EcdheEcdsa, C::Aes256Ccm, M::Aead, H::Sha256, 32, 4, 8, 0, 16},
    CipherSuite{0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", K::EcdheEcdsa, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", K::EcdheEcdsa, C::Aes256Ccm8, M::Aead, H::Sha256, 32, 4, 8, 0, 8},
    CipherSuite{0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheEcdsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    // PSK key exchange (RFC 4279, 4785, 5487, 5489, 6655, 7905, 8442).
    CipherSuite{0x002C, "TLS_PSK_WITH_NULL_SHA", K::Psk, C::Null, M::HmacSha1, H::Sha256, 0, 0, 0, 20, 0},
    CipherSuite{0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", K::Psk, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", K::Psk, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA", K::Psk, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", K::Psk, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", K::Psk, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256", K::Psk, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384", K::Psk, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0x00B0, "TLS_PSK_WITH_NULL_SHA256", K::Psk, C::Null, M::HmacSha256, H::Sha256, 0, 0, 0, 32, 0},
    CipherSuite{0x00B1, "TLS_PSK_WITH_NULL_SHA384", K::Psk, C::Null, M::HmacSha384, H::Sha384, 0, 0, 0, 48, 0},
    CipherSuite{0xC0A4, "TLS_PSK_WITH_AES_128_CCM", K::Psk, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC0A5, "TLS_PSK_WITH_AES_256_CCM", K::Psk, C::Aes256Ccm, M::Aead, H::Sha256, 32, 4, 8, 0, 16},
    CipherSuite{0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8", K::Psk, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8", K::Psk, C::Aes256Ccm8, M::Aead, H::Sha256, 32, 4, 8, 0, 8},
    CipherSuite{0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", K::Psk, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    CipherSuite{0x002D, "TLS_DHE_PSK_WITH_NULL_SHA", K::DhePsk, C::Null, M::HmacSha1, H::Sha256, 0, 0, 0, 20, 0},
    CipherSuite{0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", K::DhePsk, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", K::DhePsk, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", K::DhePsk, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", K::DhePsk, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", K::DhePsk, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", K::DhePsk, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", K::DhePsk, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256", K::DhePsk, C::Null, M::HmacSha256, H::Sha256, 0, 0, 0, 32, 0},
    CipherSuite{0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384", K::DhePsk, C::Null, M::HmacSha384, H::Sha384, 0, 0, 0, 48, 0},
    CipherSuite{0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM", K::DhePsk, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM", K::DhePsk, C::Aes256Ccm, M::Aead, H::Sha256, 32, 4, 8, 0, 16},
    CipherSuite{0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", K::DhePsk, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8", K::DhePsk, C::Aes256Ccm8, M::Aead, H::Sha256, 32, 4, 8, 0, 8},
    CipherSuite{0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", K::DhePsk, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    CipherSuite{0x002E, "TLS_RSA_PSK_WITH_NULL_SHA", K::RsaPsk, C::Null, M::HmacSha1, H::Sha256, 0, 0, 0, 20, 0},
    CipherSuite{0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", K::RsaPsk, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", K::RsaPsk, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", K::RsaPsk, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", K::RsaPsk, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", K::RsaPsk, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", K::RsaPsk, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", K::RsaPsk, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256", K::RsaPsk, C::Null, M::HmacSha256, H::Sha256, 0, 0, 0, 32, 0},
    CipherSuite{0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384", K::RsaPsk, C::Null, M::HmacSha384, H::Sha384, 0, 0, 0, 48, 0},
    CipherSuite{0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", K::RsaPsk, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},

    CipherSuite{0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", K::EcdhePsk, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 8, 8, 20, 0},
    CipherSuite{0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", K::EcdhePsk, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 16, 16, 20, 0},
    CipherSuite{0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", K::EcdhePsk, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 16, 16, 20, 0},
    CipherSuite{0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", K::EcdhePsk, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 16, 16, 32, 0},
    CipherSuite{0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", K::EcdhePsk, C::Aes256Cbc, M::HmacSha384, H::Sha384, 32, 16, 16, 48, 0},
    CipherSuite{0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA", K::EcdhePsk, C::Null, M::HmacSha1, H::Sha256, 0, 0, 0, 20, 0},
    CipherSuite{0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256", K::EcdhePsk, C::Null, M::HmacSha256, H::Sha256, 0, 0, 0, 32, 0},
    CipherSuite{0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384", K::EcdhePsk, C::Null, M::HmacSha384, H::Sha384, 0, 0, 0, 48, 0},
    CipherSuite{0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", K::EcdhePsk, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 12, 0, 0, 16},
    CipherSuite{0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", K::EcdhePsk, C::Aes128Gcm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
    CipherSuite{0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", K::EcdhePsk, C::Aes256Gcm, M::Aead, H::Sha384, 32, 4, 8, 0, 16},
    CipherSuite{0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", K::EcdhePsk, C::Aes128Ccm8, M::Aead, H::Sha256, 16, 4, 8, 0, 8},
    CipherSuite{0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", K::EcdhePsk, C::Aes128Ccm, M::Aead, H::Sha256, 16, 4, 8, 0, 16},
};

}  // namespace

const CipherSuite* findSuite(std::uint16_t id) {
  for (const auto& suite : kSuites) {
    if (suite.id == id) return &suite;
  }
  return nullptr;
}

const CipherSuite* findSuite(std::string_view name) {
  for (const auto& suite : kSuites) {
    if (suite.name == name) return &suite;
  }
  return nullptr;
}

std::span<const CipherSuite> allSuites() { return kSuites; }

bool isAead(CipherAlg cipher) {
  switch (cipher) {
    case C::Aes128Gcm:
    case C::Aes256Gcm:
    case C::Aes128Ccm:
    case C::Aes256Ccm:
    case C::Aes128Ccm8:
    case C::Aes256Ccm8:
    case C::ChaCha20Poly1305: return true;
    default: return false;
  }
}

bool isCbc(CipherAlg cipher) {
  switch (cipher) {
    case C::Aes128Cbc:
    case C::Aes256Cbc:
    case C::TripleDesCbc: return true;
    default: return false;
  }
}

std::size_t cbcBlockSize(CipherAlg cipher) {
  switch (cipher) {
    case C::Aes128Cbc:
    case C::Aes256Cbc: return 16;
    case C::TripleDesCbc: return 8;
    default: return 0;
  }
}

const char* cipherName(CipherAlg cipher) {
  switch (cipher) {
    case C::Null: return "NULL (no encryption)";
    case C::Aes128Gcm: return "AES-128-GCM";
    case C::Aes256Gcm: return "AES-256-GCM";
    case C::Aes128Ccm: return "AES-128-CCM";
    case C::Aes256Ccm: return "AES-256-CCM";
    case C::Aes128Ccm8: return "AES-128-CCM-8";
    case C::Aes256Ccm8: return "AES-256-CCM-8";
    case C::ChaCha20Poly1305: return "ChaCha20-Poly1305";
    case C::Aes128Cbc: return "AES-128-CBC";
    case C::Aes256Cbc: return "AES-256-CBC";
    case C::TripleDesCbc: return "3DES-EDE-CBC";
    case C::Rc4_128: return "RC4-128";
    default: return "?";
  }
}

const char* keyExchangeName(KeyExchange kx) {
  switch (kx) {
    case K::Tls13: return "TLS 1.3 (EC)DHE or PSK";
    case K::Rsa: return "RSA";
    case K::DheRsa: return "DHE_RSA";
    case K::EcdheRsa: return "ECDHE_RSA";
    case K::EcdheEcdsa: return "ECDHE_ECDSA";
    case K::Psk: return "PSK";
    case K::RsaPsk: return "RSA_PSK";
    case K::DhePsk: return "DHE_PSK";
    case K::EcdhePsk: return "ECDHE_PSK";
    default: return "?";
  }
}

std::optional<HashAlg> macHash(MacAlg mac) {
  switch (mac) {
    case M::HmacMd5: return H::Md5;
    case M::HmacSha1: return H::Sha1;
    case M::HmacSha256: return H::Sha256;
    case M::HmacSha384: return H::Sha384;
    case M::Aead: return std::nullopt;
    default: return std::nullopt;
  }
}

// Plain PSK and RSA_PSK have none: whoever learns the PSK (and, for RSA_PSK,
// the server key) later decrypts every recorded session.
bool forwardSecret(KeyExchange kx) { return kx != K::Rsa && kx != K::Psk && kx != K::RsaPsk; }

bool usesPsk(KeyExchange kx) { return kx == K::Psk || kx == K::RsaPsk || kx == K::DhePsk || kx == K::EcdhePsk; }

}  // namespace tlslab::crypto
