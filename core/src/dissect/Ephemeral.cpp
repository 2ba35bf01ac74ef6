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
  for (const auto& share : conn.hs.clientKeyShares)
    if (share.group == group) return &share.keyExchange;
  return nullptr;
}

}  // namespace

EphemeralState* ephemeralOf(Shared& shared, Connection& conn) {
  if (conn.hs.ephemeral) return &*conn.hs.ephemeral;
  if (conn.hs.ephemeralTried || shared.keys.ephemeralKeys().empty() || !conn.hs.sawServerHello) return nullptr;
  const bool tls13 = conn.version == crypto::kTls13;
  Bytes serverShare, clientShare;
  if (tls13) {
    serverShare = conn.hs.serverKeyShare.keyExchange;
    if (const Bytes* c = clientShareFor(conn, conn.hs.serverKeyShare.group)) clientShare = *c;
  } else {
    serverShare = conn.hs.skePublic;
    clientShare = conn.hs.ckePublic;
  }
  if (serverShare.empty() || clientShare.empty()) return nullptr;  // not yet (or not an (EC)DHE handshake)
  conn.hs.ephemeralTried = true;
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
  state.derived.clientRandom = conn.hs.clientRandom;
  state.derived.sources.push_back("the " + state.ownSide + "'s ephemeral key (" + state.own.source + ")");
  if (!tls13 && !state.sharedSecret.empty()) state.derived.preMasterSecret = state.sharedSecret;
  conn.hs.ephemeral = std::move(state);
  return &*conn.hs.ephemeral;
}

void deriveFromEphemeral(Shared& shared, Connection& conn) {
  EphemeralState* e = ephemeralOf(shared, conn);
  if (!e || e->sharedSecret.empty() || !conn.suite || conn.version != crypto::kTls13 || conn.hs.pskAccepted) return;
  crypto::Tls13Inputs in;
  in.hash = conn.suite->prfHash;
  in.sharedSecret = e->sharedSecret;
  in.transcript.serverHello = conn.hs.helloHash;
  in.transcript.serverFinished = conn.hs.applicationHash;
  in.transcript.clientFinished = conn.hs.resumptionHash;
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
  if (!conn.hs.clientRandom.empty()) {
    if (const keys::SessionSecrets* s = shared.keys.findByClientRandom(conn.hs.clientRandom))
      if (const Bytes* secret = s->secret(kind)) return secret;
  }
  if (conn.hs.ephemeral) return conn.hs.ephemeral->derived.secret(kind);
  return nullptr;
}

}  // namespace tlslab::dissect
