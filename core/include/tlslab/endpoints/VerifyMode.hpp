#pragma once

namespace tlslab::endpoints {

// How a client checks the server's certificate: the two classic bugs and
// the correct way (see tutorials/03-mitm.md).
enum class VerifyMode {
  None,          // SSL_VERIFY_NONE: anything is accepted (the result is still recorded)
  ChainOnly,     // chain checked, host name never compared: the classic bug
  IgnoreErrors,  // chain and host checked, but the callback returns 1: the other classic bug
  ChainAndHost,  // correct: chain and host name, abort on the first failure
  Pinned,        // correct, and the server's key must match a pin (survives a rogue CA)
};

const char* verifyModeName(VerifyMode mode);
const char* verifyModeDescription(VerifyMode mode);

}  // namespace tlslab::endpoints
