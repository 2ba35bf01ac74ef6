#include "tlslab/crypto/Ecdh.hpp"

#include <string>

#include "tlslab/crypto/KeyAgreement.hpp"

namespace tlslab::crypto {

Result<Bytes> ecdhSharedSecret(std::string_view group, ByteView privateKey, ByteView peerPublicKey) {
  const std::string canonical = canonicalGroup(group);
  if (canonical != "x25519" && canonical != "secp256r1")
    return fail("unsupported group \"" + std::string(group) + "\" (x25519 or P-256)");
  KeyPair own;
  own.group = canonical;
  own.privateKey = Bytes(privateKey.begin(), privateKey.end());
  return keyAgreement(own, peerPublicKey, true);
}

model::DerivationStep ecdhStep(std::string_view group, ByteView privateKey, ByteView peerPublicKey) {
  model::DerivationStep step;
  step.name = "(EC)DHE shared secret";
  step.node = model::ScheduleNode::SharedSecret;
  step.function = std::string(group) + " key agreement(own private key, peer public key)";
  step.inputs = {{"private key", Bytes(privateKey.begin(), privateKey.end())},
                 {"peer public key", Bytes(peerPublicKey.begin(), peerPublicKey.end())}};
  step.rfc = group == "x25519" ? "RFC 7748 §6.1; RFC 8446 §7.4.2" : "RFC 8446 §7.4.2";
  auto secret = ecdhSharedSecret(group, privateKey, peerPublicKey);
  if (secret) {
    step.output = *secret;
  } else {
    step.status = model::StepStatus::Failed;
    step.note = secret.error();
  }
  return step;
}

}  // namespace tlslab::crypto
