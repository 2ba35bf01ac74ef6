#pragma once
// Lab 14's workspace checks: the student's stunnel4 configurations, run for real.
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab14 {

// stunnel-server.conf: in front of the application, it must serve the
// student's client certificate and refuse a client without one and the Rogue CA's.
CheckResult checkStunnelServer(const CheckEnv& env);
// stunnel-client.conf: for the plaintext client, it must reach the real
// bank32.com and let no attacker's proxy read the login.
CheckResult checkStunnelClient(const CheckEnv& env);

}  // namespace tlslab::course::lab14
