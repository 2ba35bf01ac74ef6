// Late keys (DissectOptions::retainForLateKeys): in a live capture the key log
// line for a record often arrives a millisecond after the record. A connection
// with records not opened for lack of keys keeps its stream bytes; when the
// KeyStore learns more about its client random, the connection is dissected
// again from those bytes by a fresh dissector, whose state then replaces the
// old one, so the records still to come are opened too.
#include <algorithm>

#include <fmt/core.h>

#include "Connection.hpp"

namespace tlslab::dissect {
namespace {

// Both directions under keys and nothing left unopened: holding bytes gains nothing.
bool fullyKeyed(const Connection& conn) {
  return conn.hs.done && conn.dir[0].cipher && conn.dir[1].cipher && conn.noKeyRecords.empty();
}

// Records wait for keys: some passed unopened, or a direction switched keys
// while the store lacked them (its next records would pass unopened, and no
// later key line need come to retry them).
bool waitsForKeys(const Connection& conn) {
  if (!conn.noKeyRecords.empty()) return true;
  for (const auto& ds : conn.dir)
    if (ds.encrypted && !ds.cipher && ds.earlyCandidates.empty()) return true;
  return false;
}

std::size_t secretsKnown(const keys::SessionSecrets& s) {
  return s.tls13.size() + (s.masterSecret ? 1 : 0) + (s.preMasterSecret ? 1 : 0);  // (KeyUpdate secrets follow from these)
}

std::string droppedReason(std::size_t limit) {
  return fmt::format("its keys arrived after this record was dissected, and the connection's bytes held to open it "
                     "later were dropped when they passed the {} KiB limit (live capture keeps at most that much "
                     "per connection waiting for keys)",
                     limit >> 10);
}

}  // namespace

void TlsDissector::hold(Connection& conn, const capture::StreamChunk& chunk) {
  Retained& r = *conn.retained;
  if (r.dropped) return;
  r.bytes += chunk.data.size();
  if (r.bytes > options_.retainLimit) {
    std::vector<Retained::Event>().swap(r.events);
    r.dropped = true;
    traceOf(*shared_, conn).diagnostics.push_back(
        {model::Severity::Warning, "late keys", std::nullopt,
         fmt::format("more than {} KiB of this connection passed while keys were missing: the bytes held to decrypt "
                     "it when its key log lines arrive were dropped",
                     options_.retainLimit >> 10),
         model::DiagnosticCode::LateKeysDropped});
    return;
  }
  Retained::Event e;
  e.chunk = chunk;
  e.bytes.assign(chunk.data.begin(), chunk.data.end());
  e.protocol = std::string(chunk.protocol);
  r.events.push_back(std::move(e));
}

void TlsDissector::release(Connection& conn) {
  if (fullyKeyed(conn)) conn.retained.reset();
}

void TlsDissector::pruneWaiting() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(waiting_, [&](const auto& entry) {
    return !entry.second->retained ||
           std::chrono::duration<double>(now - entry.second->retained->closedAt).count() > options_.retainAfterClose;
  });
}

std::optional<LateKeys> TlsDissector::reopen(std::unique_ptr<Connection>& slot) {
  Connection& conn = *slot;
  if (!conn.inTrace || !conn.retained || !waitsForKeys(conn) || conn.hs.clientRandom.empty()) return std::nullopt;
  const keys::SessionSecrets* secrets = keys_.findByClientRandom(conn.hs.clientRandom);
  if (!secrets || secretsKnown(*secrets) <= conn.retained->secretsTried) return std::nullopt;
  conn.retained->secretsTried = secretsKnown(*secrets);
  model::TraceConnection& old = trace_.connections[conn.index];
  LateKeys out;
  out.connection = conn.index;

  if (conn.retained->dropped) {
    out.note = droppedReason(options_.retainLimit);
    for (std::size_t i : conn.noKeyRecords)
      if (i < old.records.size()) old.records[i].undecryptedReason = out.note;  // none left without keepRecords
    old.decryption = {conn.anyOpened ? model::Decryption::Kind::Partly : model::Decryption::Kind::NotDecrypted,
                      (conn.anyOpened ? "partly decrypted; " : "not decrypted: ") + out.note};
    conn.retained.reset();  // nothing more can come of it
    if (options_.onConnectionUpdated) options_.onConnectionUpdated(old);
    return out;
  }

  // The same stream through a fresh dissector: no callbacks, records without
  // keys listed, but nothing held (the held events move over below).
  DissectOptions fresh;
  fresh.keepPayloads = options_.keepPayloads;
  fresh.keepRecords = options_.keepRecords;
  fresh.retainForLateKeys = true;
  TlsDissector again(keys_, fresh);
  again.onConnectionOpened(conn.info);
  again.open_.at(conn.info.id)->retained.reset();
  for (Retained::Event& e : conn.retained->events) {
    switch (e.kind) {
      case Retained::Event::Kind::Data:
        e.chunk.data = e.bytes;
        e.chunk.protocol = e.protocol;
        again.onData(e.chunk);
        break;
      case Retained::Event::Kind::Gap: again.onGap(e.gap); break;
      case Retained::Event::Kind::Diagnostic: again.onDiagnostic(e.diagnostic); break;
    }
  }
  auto found = again.open_.find(conn.info.id);
  if (found == again.open_.end() || !found->second->inTrace) return std::nullopt;
  std::unique_ptr<Connection> next = std::move(found->second);
  if (conn.retained->closed) again.closeConnection(*next, *conn.retained->closed);

  model::TraceConnection tc = std::move(again.trace_.connections.front());
  for (std::size_t i : conn.noKeyRecords)
    if (i < tc.records.size() && tc.records[i].undecryptedReason.empty()) out.opened.push_back(i);
  keepWholeCaptureFacts(tc, old);
  tc.diagnostics.push_back({model::Severity::Info, "late keys", std::nullopt,
                            fmt::format("keys arrived after {} record(s) had passed without them: the connection was "
                                        "dissected again from its held bytes ({} record(s) opened)",
                                        conn.noKeyRecords.size(), out.opened.size()),
                            model::DiagnosticCode::LateKeysArrived});
  old = std::move(tc);
  next->index = conn.index;
  next->retained = std::move(conn.retained);
  slot = std::move(next);  // later chunks continue from the re-dissected state
  if (slot->noKeyRecords.empty() && (slot->retained->closed || fullyKeyed(*slot))) slot->retained.reset();
  if (options_.onConnectionUpdated) options_.onConnectionUpdated(old);
  return out;
}

std::vector<LateKeys> TlsDissector::retryWithNewKeys() {
  std::vector<LateKeys> out;
  if (finished_ || !options_.retainForLateKeys) return out;
  for (auto& [id, conn] : open_)
    if (auto changed = reopen(conn)) out.push_back(std::move(*changed));
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (auto changed = reopen(it->second)) out.push_back(std::move(*changed));
    it = it->second->retained ? std::next(it) : waiting_.erase(it);
  }
  // After the attempt: keys already in the store count even when nobody
  // looked for a while (no packets, no poll); only then does time run out.
  pruneWaiting();
  std::sort(out.begin(), out.end(), [](const LateKeys& a, const LateKeys& b) { return a.connection < b.connection; });
  return out;
}

}  // namespace tlslab::dissect
