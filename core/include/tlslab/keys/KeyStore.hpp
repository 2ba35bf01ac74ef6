#pragma once
// Everything tlslab knows about session keys, looked up the way a dissector
// needs them: TLS 1.3 secrets and TLS 1.2 master / pre-master secrets by
// client random; TLS 1.2 master secrets by session ID or ticket (resumption);
// pre-master secrets by encrypted-PMS prefix; and RSA server keys to recover
// a pre-master secret from a ClientKeyExchange.
//
// Fed from key log files, from key log text (e.g. a pcapng Decryption
// Secrets Block's payload), from instrumented runs (one key log line at a time
// or one secret at a time), and from private key files.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/crypto/KeyAgreement.hpp"
#include "tlslab/crypto/PrivateKey.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/crypto/SecretKind.hpp"
#include "tlslab/keys/KeyLog.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Diagnostic.hpp"

namespace tlslab::keys {

struct SessionSecrets {
  Bytes clientRandom;
  std::optional<Bytes> masterSecret;     // TLS 1.0-1.2
  std::optional<Bytes> preMasterSecret;  // TLS 1.0-1.2
  std::map<crypto::SecretKind, Bytes> tls13;
  std::map<crypto::SecretKind, std::string> tls13Sources;  // where each TLS 1.3 secret came from
  // Next-generation application traffic secrets as logged (KeyUpdate), in order.
  std::vector<Bytes> clientUpdatedSecrets, serverUpdatedSecrets;
  std::vector<std::string> sources;  // where each value came from, e.g. "keys.log line 3"
  // The pre-master secret was built by the dissector (PSK suites), whose own
  // steps show how: the explanation does not present it as a key log value.
  bool preMasterShown = false;

  bool isTls13() const { return !tls13.empty(); }
  const Bytes* secret(crypto::SecretKind kind) const;
};

// An endpoint's ephemeral (EC)DHE key pair, found by the key share it sent.
struct EphemeralKey {
  crypto::KeyPair pair;
  std::string source;  // "the lab run's client", "run.ephemeral-keys line 2"
};

// The text form of ephemeral keys (a file beside a run's capture, never inside
// it), one per line:
//   EPHEMERAL_KEY <group> <key share hex> <private key hex> [<p hex> <g hex>]
// with p and g only for group "dh"; '#' starts a comment.
std::string ephemeralKeyText(const std::vector<EphemeralKey>& keys);

// Why `path` cannot be a key file ("" when it is a regular file): the key
// logs, private keys and ephemeral keys are read only from regular files.
std::string keyFileProblem(const std::filesystem::path& path);

struct LoadedKey {
  crypto::PrivateKey key;
  std::string source;
};

// A TLS 1.2 pre-shared key (RFC 4279): for one PSK identity, or for any.
struct PreSharedKey {
  Bytes key;
  std::optional<std::string> identity;  // nullopt: used whatever identity the client names
  std::string source;                   // "--psk 1", "GUI"
};

class KeyStore {
 public:
  // Loads every usable line; returns the diagnostics for the others.
  std::vector<model::Diagnostic> addKeyLogText(std::string_view text, std::string_view source = "key log");
  // Fails only when the file cannot be read; bad lines come back as diagnostics.
  crypto::Result<std::vector<model::Diagnostic>> addKeyLogFile(const std::filesystem::path& path);
  // From an instrumented run (e.g. OpenSSL's keylog callback), one secret at a time.
  void addTls13Secret(ByteView clientRandom, crypto::SecretKind kind, ByteView secret, std::string source);
  void addMasterSecret(ByteView clientRandom, ByteView masterSecret, std::string source);
  // Learned during dissection, for later abbreviated handshakes.
  void addMasterSecretForSessionId(ByteView sessionId, ByteView masterSecret);
  void addMasterSecretForTicket(ByteView ticket, ByteView masterSecret);

  // Ephemeral (EC)DHE keys: from a lab run, or from their text form.
  void addEphemeralKey(crypto::KeyPair pair, std::string source);
  std::vector<model::Diagnostic> addEphemeralKeyText(std::string_view text, std::string_view source);
  crypto::Result<std::vector<model::Diagnostic>> addEphemeralKeyFile(const std::filesystem::path& path);
  // The key whose public share this is (the same group's encoding).
  const EphemeralKey* findEphemeralKey(ByteView publicShare) const;
  const std::vector<EphemeralKey>& ephemeralKeys() const { return ephemeral_; }

  // PEM (PKCS#1 / PKCS#8, optionally encrypted) or, for .p12/.pfx, PKCS#12.
  crypto::Result<std::size_t> addPrivateKeyFile(const std::filesystem::path& path, std::string_view password = {});
  crypto::Result<std::size_t> addPrivateKeyPem(std::string_view pem, std::string_view password = {},
                                               std::string source = "PEM text");

  // Pre-shared keys (PSK cipher suites); findPsk prefers the key given for
  // this identity, then one given for any identity.
  void addPsk(Bytes key, std::optional<std::string> identity, std::string source);
  const PreSharedKey* findPsk(ByteView identity) const;
  const std::vector<PreSharedKey>& psks() const { return psks_; }

  const SessionSecrets* findByClientRandom(ByteView clientRandom) const;
  std::optional<Bytes> findMasterBySessionId(ByteView sessionId) const;
  std::optional<Bytes> findMasterByTicket(ByteView ticket) const;
  std::optional<Bytes> findPreMasterByEncryptedPms(ByteView encryptedPms) const;
  // Tries each RSA key (then the RSA key log lines); the step says which
  // worked, or why none did.
  model::DerivationStep recoverPreMasterSecret(ByteView encryptedPms) const;

  std::vector<const SessionSecrets*> sessions() const;
  const std::vector<LoadedKey>& privateKeys() const { return keys_; }
  bool empty() const {
    return sessions_.empty() && bySessionId_.empty() && byEncryptedPms_.empty() && keys_.empty() && ephemeral_.empty() &&
           psks_.empty();
  }

 private:
  SessionSecrets& session(ByteView clientRandom);
  void add(const KeyLogEntry& entry, std::string_view source);

  std::map<Bytes, SessionSecrets> sessions_;
  std::map<Bytes, Bytes> bySessionId_;
  std::map<Bytes, Bytes> byTicket_;
  std::map<Bytes, Bytes> byEncryptedPms_;  // first 8 bytes of EncryptedPreMasterSecret -> PMS
  std::vector<LoadedKey> keys_;
  std::vector<EphemeralKey> ephemeral_;
  std::vector<PreSharedKey> psks_;
};

}  // namespace tlslab::keys
