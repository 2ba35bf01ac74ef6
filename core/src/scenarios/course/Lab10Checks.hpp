#pragma once
// Lab 10's per-student values, the expected values they imply (the teacher's
// key), and the checks, which judge each answer against a run of the record
// lab made by the check itself (or, for the TCP segments, the student's own
// capture records.pcapng).
#include <cstddef>
#include <string>
#include <vector>

#include "tlslab/scenarios/RecordLab.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab10 {

inline constexpr const char* kCapture = "records.pcapng";
inline constexpr std::size_t kMaxFragment = 16384;  // 2^14, RFC 8446 §5.1 and RFC 5246 §6.2.1

struct Values {
  std::size_t size = 0;    // the client's one SSL_write
  std::size_t buffer = 0;  // the server's SSL_read buffer
  std::size_t pad = 0;     // the TLS 1.3 padding block of the last question
  std::string flags() const;  // "--size 23456 --buffer 5000"
};
Values valuesOf(const Variant& variant);

// What the record layer does with them, computed from the RFCs' rules and
// OpenSSL's (checked against real runs by the tests).
std::vector<std::size_t> recordSizes(const Values& values);  // data per record of the write
std::vector<std::size_t> readReturns(const Values& values);  // each SSL_read's return value
std::size_t tls13Length(std::size_t data);                    // + inner type + 16-byte tag
std::size_t cbcMacThenEncryptLength(std::size_t data);        // AES128-SHA, RFC 5246 §6.2.3.2
std::size_t paddedLength(std::size_t data, std::size_t block);  // RFC 8446 §5.4 with OpenSSL's block padding

// The run a check makes: the lab's scenario with this student's values.
scenarios::RecordLabOptions runOptions(const CheckEnv& env, const Values& values);

CheckResult checkRecordsWritten(const CheckEnv& env);
CheckResult checkLastRecordLength(const CheckEnv& env);
CheckResult checkReadReturns(const CheckEnv& env);
CheckResult checkEchoSequence(const CheckEnv& env);
CheckResult checkRecordFrames(const CheckEnv& env);
CheckResult checkCbcLength(const CheckEnv& env);
CheckResult checkPaddedLength(const CheckEnv& env);

}  // namespace tlslab::course::lab10
