#pragma once
// Lab 15's checks (Lab15Checks.cpp): every answer is read off the student's own
// run, `tlslab lab run quic -o quic` in the workspace — quic/quic.pcapng and
// quic/keys.log. A run's DCID and keys are random, so the checker recomputes
// the right values from those files (the Initial keys with crypto's RFC 9001
// functions); the files are bound to the student by what they carry: the
// student's server name in the ClientHello and, under the key log, the
// student's token on the page.
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab15 {

inline constexpr const char* kRunDir = "quic";  // inside the workspace

CheckResult checkInitialDcid(const CheckEnv& env);
CheckResult checkServerName(const CheckEnv& env);
CheckResult checkAlpn(const CheckEnv& env);
CheckResult checkInitialKey(const CheckEnv& env);
CheckResult checkHpKey(const CheckEnv& env);
CheckResult checkOneRttPackets(const CheckEnv& env);
CheckResult checkPageToken(const CheckEnv& env);

}  // namespace tlslab::course::lab15
