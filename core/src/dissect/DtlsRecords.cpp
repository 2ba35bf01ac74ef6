// One DTLS record: classified (epoch, sequence, flight), opened with its
// epoch's keys, and its content handed to the TLS path's parsers; handshake
// fragments go through wire::dtls::HandshakeReassembler first, which tells
// new bytes from a resent flight (RFC 6347 §4.2.3, §4.2.4).
#include <fmt/core.h>

#include "Dtls.hpp"
#include "tlslab/util/ByteReader.hpp"
#include "tlslab/wire/HandshakeTypes.hpp"

namespace tlslab::dissect {
namespace {

namespace wd = wire::dtls;

constexpr std::uint8_t kHandshake = 22, kChangeCipherSpec = 20, kApplicationData = 23;
constexpr std::uint8_t kHelloVerifyRequest = 3, kServerHello = 2;
constexpr std::size_t kMaxSegments = 4096;  // fragment positions kept per message (1-byte fragments are hostile)

model::Direction toModel(capture::Direction d) {
  return d == capture::Direction::ClientToServer ? model::Direction::ClientToServer : model::Direction::ServerToClient;
}

// The read keys of `epoch`: made at this side's ChangeCipherSpec, or now when
// the record comes first (its ChangeCipherSpec lost or reordered; the epoch
// in the header says the keys changed).
crypto::RecordCipher* cipherFor(Shared& shared, DtlsAssociation& a, capture::Direction d, std::uint16_t epoch) {
  DtlsDirection& dd = a.dir[capture::index(d)];
  if (auto it = dd.ciphers.find(epoch); it != dd.ciphers.end()) return &it->second;
  // Only the next epoch can start without its ChangeCipherSpec: a record
  // claiming any other makes no keys (bounded: one cipher per real epoch).
  const std::uint16_t highest = dd.ciphers.empty() ? 0 : dd.ciphers.rbegin()->first;
  if (epoch != highest + 1 || dd.keysTried[epoch] || !a.conn.hs.sawServerHello) return nullptr;
  dd.keysTried[epoch] = true;
  activateTls12Keys(shared, a.conn, d);
  DirectionState& ds = a.conn.dir[capture::index(d)];
  if (!ds.cipher) return nullptr;
  auto [it, added] = dd.ciphers.insert_or_assign(epoch, std::move(*ds.cipher));
  ds.cipher.reset();
  return &it->second;
}

bool open(Shared& shared, DtlsAssociation& a, capture::Direction d, const wd::Record& r, bool keep,
          model::TraceRecord& rec) {
  Connection& conn = a.conn;
  conn.anyEncrypted = true;
  rec.keyPhase = model::KeyPhase::application(r.header.epoch > 1 ? r.header.epoch - 1u : 0u);
  crypto::RecordCipher* cipher = cipherFor(shared, a, d, r.header.epoch);
  if (cipher == nullptr) {
    if (conn.reason.empty()) conn.reason = noKeyReason(shared, conn);
    rec.undecryptedReason = conn.reason;
    return false;
  }
  model::RecordCrypto crypto;
  cipher->decryptDtlsInto(r.wire, crypto, keep);
  const bool opened =
      crypto.verdict == model::RecordVerdict::Decrypted || crypto.verdict == model::RecordVerdict::NotEncrypted;
  if (opened) {
    conn.anyOpened = true;
    rec.innerContentType = crypto.contentType;
    rec.plaintext = keep ? crypto.plaintext : std::move(crypto.plaintext);
  } else {
    if (!conn.firstFailure) conn.firstFailure = rec.index;
    rec.undecryptedReason = fmt::format("MAC/tag failure at record {} (epoch {}, sequence {}): {}", rec.index,
                                        r.header.epoch, r.header.sequence,
                                        crypto.note.empty() ? model::recordVerdictName(crypto.verdict) : crypto.note);
  }
  if (keep) rec.crypto = std::move(crypto);
  return opened;
}

// A fragment with message_seq 0 in a later epoch starts this side's next
// handshake (renegotiation; RFC 6347 §4.2.2: each handshake starts at 0).
void maybeNewHandshake(DtlsDirection& dd, const wd::HandshakeFragment& f, std::uint16_t epoch) {
  if (f.messageSeq != 0 || epoch <= dd.handshakeEpoch || dd.reassembler.nextSeq() == 0) return;
  dd.reassembler.reset();
  dd.places.clear();
  dd.handshakeEpoch = epoch;
  dd.ccsNumbered = false;
}

// What the HelloVerifyRequest changes: its cookie is shown, and the
// handshake starts again from the second ClientHello, which is where the
// transcript begins (RFC 6347 §4.2.1, §4.2.6).
void onHelloVerifyRequest(Shared& shared, DtlsAssociation& a, const Bytes& message) {
  model::TraceConnection& tc = traceOf(shared, a.conn);
  tc.dtls->cookieExchange = true;
  ByteReader r(message);
  r.skip(4, "header");
  r.u16("server_version");
  const ByteView cookie = r.bytes(r.u8("cookie length"), "cookie");
  if (!r.failed()) tc.dtls->cookie.assign(cookie.begin(), cookie.end());
  a.conn.hs = {};
  a.conn.flowCheck = {};
}

void deliver(Shared& shared, DtlsAssociation& a, capture::Direction d, wd::ReassembledMessage& m) {
  Connection& conn = a.conn;
  DtlsDirection& dd = a.dir[capture::index(d)];
  DirectionState& ds = conn.dir[capture::index(d)];
  model::TraceConnection& tc = traceOf(shared, conn);
  const DtlsMessagePlace& place = dd.places[m.messageSeq];
  wire::ReassembledMessage tm;
  tm.type = m.msgType;
  tm.bytes = std::move(m.tlsBytes);
  tm.transcriptBytes = std::move(m.dtlsBytes);
  tm.firstRecord = place.firstRecord;
  tm.recordCount = place.lastRecord - place.firstRecord + 1;
  tm.segments = place.segments;
  const bool encrypted = place.firstRecord < ds.handshakeRecords.size() &&
                         tc.records[ds.handshakeRecords[place.firstRecord]].encrypted;
  if (encrypted) tm.segments.clear();  // decrypted bytes have no place in the datagram stream
  const Bytes hvr = m.msgType == kHelloVerifyRequest ? tm.bytes : Bytes{};
  onHandshakeMessage(shared, conn, d, tm, encrypted);
  if (m.msgType == kHelloVerifyRequest) {
    // The flow table is TLS's: in DTLS the cookie exchange is allowed here,
    // and the handshake's flow starts again at the second ClientHello.
    traceOf(shared, conn).messages.back().flowVerdicts.clear();
    onHelloVerifyRequest(shared, a, hvr);
  }
  if (m.msgType == kServerHello && conn.hs.sawServerHello && wd::isDtlsVersion(conn.version)) {
    // The TLS path saw the ServerHello's DTLS version; its key schedule and
    // transcript hash are those of the TLS version it follows (RFC 6347 §4.1).
    conn.dtlsVersion = conn.version;
    conn.version = wd::tlsEquivalent(conn.version);
    conn.finishedFormUnknown = conn.dtlsVersion == wd::kDtls1BadVer;
    traceOf(shared, conn).dtls->version = conn.dtlsVersion;
    traceOf(shared, conn).dtls->versionName = wd::dtlsVersionName(conn.dtlsVersion);
  }
}

void handshakeRecord(Shared& shared, DtlsAssociation& a, capture::Direction d, model::TraceRecord& rec,
                     std::uint16_t epoch) {
  const int di = capture::index(d);
  DtlsDirection& dd = a.dir[di];
  DirectionState& ds = a.conn.dir[di];
  model::TraceConnection& tc = traceOf(shared, a.conn);
  const std::size_t position = ds.handshakeRecords.size();
  ds.handshakeRecords.push_back(rec.index);
  const ByteView content = rec.plaintext;
  const wd::HandshakeFragments split = wd::splitHandshakeRecord(content);
  bool anyNew = false;
  std::size_t flight = 0;
  for (const auto& f : split.fragments) {
    maybeNewHandshake(dd, f, epoch);
    const wd::FragmentResult result = dd.reassembler.add(f);
    if (result.outcome == wd::FragmentOutcome::Rejected) {
      tc.diagnostics.push_back({model::Severity::Warning, fmt::format("DTLS record {}", rec.index), std::nullopt,
                                fmt::format("handshake fragment (message_seq {}, offset {}, {} bytes) not used: {}",
                                            f.messageSeq, f.fragmentOffset, f.fragmentLength, result.problem),
                                model::DiagnosticCode::DtlsFragment});
      continue;
    }
    auto [where, isNew] = dd.places.try_emplace(f.messageSeq);
    DtlsMessagePlace& place = where->second;
    if (isNew) {
      place.firstRecord = position;
      if (a.flightSender != di) {
        a.flightSender = di;
        tc.dtls->flights += 1;
      }
      place.flight = tc.dtls->flights;
    }
    switch (result.outcome) {
      case wd::FragmentOutcome::Partial:
      case wd::FragmentOutcome::Completed: {
        anyNew = true;
        if (flight == 0) flight = place.flight;
        place.lastRecord = position;
        if (place.segments.size() >= kMaxSegments) break;  // later field offsets are then approximate
        const std::size_t body = static_cast<std::size_t>(f.body.data() - content.data());
        const std::size_t at = rec.streamOffset + wd::kRecordHeaderLength + body;
        // type and length are the DTLS header's first 4 bytes, as in TLS's header.
        if (f.fragmentOffset == 0) place.segments.push_back({0, at - wd::kHandshakeHeaderLength, 4});
        place.segments.push_back({4 + f.fragmentOffset, at, f.fragmentLength});
        break;
      }
      case wd::FragmentOutcome::Retransmission:
      default:
        if (flight == 0) flight = place.flight;
        tc.dtls->resentFragments[di] += 1;
        break;
    }
  }
  if (split.error) {
    tc.diagnostics.push_back(
        {model::Severity::Warning, fmt::format("DTLS record {}", rec.index),
         rec.encrypted ? std::nullopt : std::optional<std::size_t>(rec.streamOffset + wd::kRecordHeaderLength + split.error->offset),
         fmt::format("{} (at byte {} of the {} handshake fragment bytes{})", split.error->what, split.error->offset,
                     content.size(), rec.encrypted ? ", decrypted" : ""),
         model::DiagnosticCode::Malformed});
  }
  if (flight != 0) dd.lastFlight = flight;
  rec.dtls->flight = flight;
  if (!split.fragments.empty() && !anyNew) {
    rec.dtls->resent = true;
    tc.dtls->resentRecords += 1;
  }
  for (auto& m : dd.reassembler.takeInOrder()) deliver(shared, a, d, m);
}

}  // namespace

void dtlsRecord(Shared& shared, DtlsAssociation& a, const capture::FlowDatagram& d, const wd::Record& r,
                std::size_t datagramIndex) {
  Connection& conn = a.conn;
  const int di = capture::index(d.direction);
  DtlsDirection& dd = a.dir[di];
  model::TraceRecord rec;
  rec.index = traceOf(shared, conn).records.size();
  rec.direction = toModel(d.direction);
  rec.time = secondsSince(conn, d.time);
  rec.frame = d.frame;
  rec.contentType = r.header.type;
  rec.version = r.header.version;
  rec.streamOffset = static_cast<std::size_t>(dd.streamBytes) + r.offset;
  rec.dtls = model::DtlsRecordInfo{r.header.epoch, r.header.sequence, datagramIndex, 0, false};
  if (shared.options.keepRecords) rec.header = wd::describeRecordHeader(r, rec.streamOffset);
  // Epoch 0 is the clear; every later epoch is under the keys of a ChangeCipherSpec (RFC 6347 §4.1).
  rec.encrypted = r.header.epoch > 0;
  const bool appData = r.header.type == kApplicationData;
  const bool keepAll = shared.options.keepPayloads && shared.options.payloadPreview == 0;
  const bool keep = keepAll || !appData;
  bool opened = true;
  if (rec.encrypted) {
    opened = open(shared, a, d.direction, r, keep, rec);
  } else {
    rec.innerContentType = r.header.type;
    rec.plaintext.assign(r.fragment.begin(), r.fragment.end());
  }
  const bool keepBytes = keep || (rec.innerContentType != 0 && rec.innerContentType != kApplicationData);
  if (keepBytes) rec.wire.assign(r.wire.begin(), r.wire.end());
  rec.wireSize = r.wire.size();
  rec.plaintextSize = rec.plaintext.size();
  traceOf(shared, conn).records.push_back(std::move(rec));
  const std::size_t index = traceOf(shared, conn).records.size() - 1;
  auto stored = [&]() -> model::TraceRecord& { return traceOf(shared, conn).records[index]; };
  if (opened && stored().innerContentType == kHandshake) {
    handshakeRecord(shared, a, d.direction, stored(), r.header.epoch);
  } else if (opened) {
    onRecordContent(shared, conn, d.direction, stored(), stored().plaintext, wd::kRecordHeaderLength, stored().encrypted);
    if (stored().innerContentType == kChangeCipherSpec) {
      // A ChangeCipherSpec opens a flight when the other side spoke last
      // (the server's ChangeCipherSpec + Finished; RFC 6347 §4.2.4).
      if (a.flightSender != di) {
        a.flightSender = di;
        traceOf(shared, conn).dtls->flights += 1;
        dd.lastFlight = traceOf(shared, conn).dtls->flights;
      }
      stored().dtls->flight = dd.lastFlight;
      if (conn.dtlsVersion == wd::kDtls1BadVer && !dd.ccsNumbered) {
        // Pre-RFC OpenSSL gave its ChangeCipherSpec a message_seq (Finished
        // comes one later; tshark shows the same numbering on snakeoil-dtls).
        dd.ccsNumbered = true;
        dd.reassembler.skipNext();
        for (auto& m : dd.reassembler.takeInOrder()) deliver(shared, a, d.direction, m);
      }
      // The sender's next epoch uses the keys the TLS path just made (Tls12Keys.cpp).
      DirectionState& ds = conn.dir[di];
      const auto next = static_cast<std::uint16_t>(r.header.epoch + 1);
      dd.keysTried[next] = true;
      if (ds.cipher) {
        dd.ciphers.insert_or_assign(next, std::move(*ds.cipher));
        ds.cipher.reset();
      }
    }
  } else if (r.header.type == kHandshake) {
    model::TraceMessage m;
    m.name = "Encrypted Handshake Message";
    m.encrypted = true;
    m.direction = stored().direction;
    m.firstRecord = m.lastRecord = index;
    model::TraceConnection& tc = traceOf(shared, conn);
    stored().messages.push_back(tc.messages.size());
    tc.messages.push_back(std::move(m));
  }
  if (!keepBytes) Bytes().swap(stored().plaintext);
  if (shared.options.onRecord) shared.options.onRecord(traceOf(shared, conn), stored());
}

void dtlsFinalNotes(Shared& shared, DtlsAssociation& a) {
  model::TraceConnection& tc = traceOf(shared, a.conn);
  if (a.conn.finishedFormUnknown) {
    const char* why =
        "not checked: pre-RFC OpenSSL DTLS (0x0100) computes its Finished over a transcript tlslab does not know "
        "(neither RFC 6347's nor the TLS-framed messages match); the records' MACs are what confirm the keys";
    for (auto& step : tc.derivation)
      if (step.node == model::ScheduleNode::ClientFinishedCheck || step.node == model::ScheduleNode::ServerFinishedCheck)
        step.note = why;
    tc.diagnostics.push_back({model::Severity::Info, "Finished", std::nullopt,
                              std::string("both Finished messages are ") + why, model::DiagnosticCode::DerivationNote});
  }
  const std::size_t fragments = tc.dtls->resentFragments[0] + tc.dtls->resentFragments[1];
  if (fragments > 0) {
    tc.diagnostics.push_back(
        {model::Severity::Info, "DTLS", std::nullopt,
         fmt::format("flight resent: {} handshake fragment(s) arrived again ({} from the client, {} from the server; "
                     "{} record(s) held nothing new): DTLS retransmits a flight when the answer is late "
                     "(RFC 6347 §4.2.4)",
                     fragments, tc.dtls->resentFragments[0], tc.dtls->resentFragments[1], tc.dtls->resentRecords),
         model::DiagnosticCode::DtlsRetransmission});
  }
}

}  // namespace tlslab::dissect
