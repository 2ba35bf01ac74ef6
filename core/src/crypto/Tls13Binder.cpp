#include "tlslab/crypto/Tls13Binder.hpp"

#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/SecretKind.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"

namespace tlslab::crypto {

Tls13Binder tls13PskBinder(HashAlg hash, ByteView psk, ByteView truncatedClientHello, bool externalPsk) {
  Tls13Binder out;
  auto& st = out.steps;
  st.push_back(hkdfExtract(hash, {}, psk, "early_secret"));
  st.back().rfc = "RFC 8446 §7.1";
  const Bytes earlySecret = st.back().output;
  const auto& kind = secretKindInfo(externalPsk ? SecretKind::ExternalPskBinderKey : SecretKind::ResumptionPskBinderKey);
  st.push_back(deriveSecret(hash, earlySecret, kind.hkdfLabel, digest(hash, {}), std::string(kind.name), "\"\""));
  const Bytes binderKey = st.back().output;
  st.push_back(tls13FinishedKey(hash, binderKey, "binder finished_key"));
  st.back().rfc = "RFC 8446 §4.2.11.2";
  const Bytes finishedKey = st.back().output;

  model::DerivationStep transcript;
  transcript.name = "Transcript-Hash(Truncate(ClientHello))";
  transcript.function = std::string(hashName(hash)) + "(ClientHello without its binders list)";
  transcript.inputs = {{"Truncate(ClientHello)", Bytes(truncatedClientHello.begin(), truncatedClientHello.end())}};
  transcript.output = digest(hash, truncatedClientHello);
  transcript.rfc = "RFC 8446 §4.2.11.2";
  transcript.note = std::to_string(truncatedClientHello.size()) + " bytes: the handshake header (full length) through "
                    "PreSharedKeyExtension.identities";
  st.push_back(transcript);

  st.push_back(tls13VerifyData(hash, finishedKey, transcript.output, "binder", "Truncate(ClientHello)"));
  st.back().function = std::string("binder = HMAC-") + hashName(hash) + "(finished_key, Transcript-Hash(Truncate(ClientHello)))";
  st.back().rfc = "RFC 8446 §4.2.11.2";
  out.binder = st.back().output;
  return out;
}

}  // namespace tlslab::crypto
