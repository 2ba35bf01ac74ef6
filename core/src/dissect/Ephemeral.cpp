// Connections whose endpoint's own ephemeral (EC)DHE key is known (a lab
// run's keys, kept beside its capture): the key is found by the key share it
// sent, the shared secret computed with the peer's share, and the TLS 1.3
// traffic secrets (TLS 1.2: the pre-master secret) derived as the handshake
// reveals their transcripts, so records open even without a key log.
#include "Connection.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"

namespace tlslab::dissect {
namespace {

const Bytes* clientShareFor(const Connection& conn, std::uint16_t group) {
  for (const auto& share : conn.clientKeyShares)
    if (share.group == group) return &share.keyExchange;
  return nullptr;
}

}  // namespace

EphemeralState* ephemeralOf(Shared& shared, Connection& conn) {
  if (conn.ephemeral) return &*conn.ephemeral;
  if (conn.ephemeralTried || shared.keys.ephemeralKeys().empty() || !conn.sawServerHello) return nullptr;
  const bool tls13 = conn.version == crypto::kTls13;
  Bytes serverShare, clientShare;
  if (tls13) {
    serverShare = conn.serverKeyShare.keyExchange;
    if (const Bytes* c = clientShareFor(conn, conn.serverKeyShare.group)) clientShare = *c;
  } else {
    serverShare = conn.skePublic;
    clientShare = conn.ckePublic;
  }
  if (serverShare.empty() || clientShare.empty()) return nullptr;  // not yet (or not an (EC)DHE handshake)
  conn.ephemeralTried = true;
  EphemeralState state;
  if (const keys::EphemeralKey* server = shared.keys.findEphemeralKey(serverShare)) {
    state.own = *server;
    state.ownSide = "server";
    state.peerShare = clientShare;
  } else if (const keys::EphemeralKey* client = shared.keys.findEphemeralKey(clientShare)) {
    state.own = *client;
    state.ownSide = "client";
    state.peerShare = serverShare;
  } else {
    return nullptr;
  }
  auto secret = crypto::keyAgreement(state.own.pair, state.peerShare, tls13);
  if (secret) {
    state.sharedSecret = *secret;
  } else {
    state.failure = secret.error();
  }
  state.derived.clientRandom = conn.clientRandom;
  state.derived.sources.push_back("the " + state.ownSide + "'s ephemeral key (" + state.own.source + ")");
  if (!tls13 && !state.sharedSecret.empty()) state.derived.preMasterSecret = state.sharedSecret;
  conn.ephemeral = std::move(state);
  return &*conn.ephemeral;
}

void deriveFromEphemeral(Shared& shared, Connection& conn) {
  EphemeralState* e = ephemeralOf(shared, conn);
  if (!e || e->sharedSecret.empty() || !conn.suite || conn.version != crypto::kTls13 || conn.pskAccepted) return;
  crypto::Tls13Inputs in;
  in.hash = conn.suite->prfHash;
  in.sharedSecret = e->sharedSecret;
  in.transcript.serverHello = conn.helloHash;
  in.transcript.serverFinished = conn.applicationHash;
  in.transcript.clientFinished = conn.resumptionHash;
  const crypto::Tls13Secrets s = crypto::deriveTls13Schedule(in).secrets;
  const std::pair<crypto::SecretKind, const Bytes*> values[] = {
      {crypto::SecretKind::ClientHandshakeTrafficSecret, &s.clientHandshakeTraffic},
      {crypto::SecretKind::ServerHandshakeTrafficSecret, &s.serverHandshakeTraffic},
      {crypto::SecretKind::ClientApplicationTrafficSecret0, &s.clientApplicationTraffic},
      {crypto::SecretKind::ServerApplicationTrafficSecret0, &s.serverApplicationTraffic},
      {crypto::SecretKind::ExporterMasterSecret, &s.exporterMaster}};
  for (const auto& [kind, value] : values) {
    if (value->empty()) continue;
    e->derived.tls13[kind] = *value;
    e->derived.tls13Sources[kind] = e->derived.sources.front();
  }
}

const Bytes* tls13Secret(Shared& shared, Connection& conn, crypto::SecretKind kind) {
  if (!conn.clientRandom.empty()) {
    if (const keys::SessionSecrets* s = shared.keys.findByClientRandom(conn.clientRandom))
      if (const Bytes* secret = s->secret(kind)) return secret;
  }
  if (conn.ephemeral) return conn.ephemeral->derived.secret(kind);
  return nullptr;
}

}  // namespace tlslab::dissect
