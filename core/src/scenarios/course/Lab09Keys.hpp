#pragma once
// Lab 9 (keys by hand): one student's values, the materials' file names,
// and the two chains the checker rebuilds from the workspace.
#include <array>
#include <string>
#include <string_view>

#include "Lab09Chain.hpp"
#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::course::lab09 {

inline constexpr const char* kTls13Capture = "tls13.pcapng";
inline constexpr const char* kTls12Capture = "tls12.pcapng";
inline constexpr const char* kTls12KeyLog = "tls12.keylog";

struct Suite {
  std::string_view openssl;  // what the endpoints are told (TLS 1.2), or the TLS 1.3 name
  std::string_view iana;
};

inline constexpr std::array<Suite, 3> kTls13Suites{{{"TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"},
                                                    {"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"},
                                                    {"TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"}}};
inline constexpr std::array<Suite, 3> kTls12Suites{
    {{"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
     {"ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
     {"ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}}};
inline constexpr std::array<std::string_view, 2> kGroups{"X25519", "P-256"};
inline constexpr std::size_t kRequests = 3;  // the client's requests in the TLS 1.3 run

struct Values {
  std::string host;
  Suite tls13Suite, tls12Suite;
  std::string_view group;
  std::size_t record = 0;  // which request (0-based) the student decrypts by hand
  std::string tls12Note;   // what the TLS 1.2 client sends (binds the capture to the student)
  std::array<std::string, kRequests> bodies;  // what each TLS 1.3 request carries; bodies[record] is asked for
};
Values valuesOf(const Variant& variant);

// Rebuilt from the workspace (tls12.pcapng, tls12.keylog), or a Chain with its problem.
Chain tls12Chain(const CheckEnv& env);

}  // namespace tlslab::course::lab09
