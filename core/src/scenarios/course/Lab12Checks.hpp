#pragma once
// Lab 12's materials and the checks judged against the student's own
// captures (Lab12Checks.cpp); the definition and the checks that run the lab
// are in Lab12Resumption.cpp.
#include <string>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab12 {

// resumption.pcapng (TLS 1.3: a full handshake, then a resumption with the
// student's 0-RTT request, a KeyUpdate in each), psk.txt (the PSK the client
// offered) and renegotiation.pcapng (TLS 1.2, renegotiated once).
std::string materials(const MaterialsEnv& env);

CheckResult checkBinderCovers(const CheckEnv& env);
CheckResult checkBinderKey(const CheckEnv& env);
CheckResult checkRenegotiatedConnection(const CheckEnv& env);
CheckResult checkNextTrafficSecret(const CheckEnv& env);

}  // namespace tlslab::course::lab12
