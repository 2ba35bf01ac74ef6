// Records: framing one direction's bytes, opening protected records with the
// keys in force, and handing their content to the right parser (handshake
// reassembly, ChangeCipherSpec, Alert, application data).
#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/util/ByteWriter.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::dissect {
namespace {

model::Direction toModel(capture::Direction d) {
  return d == capture::Direction::ClientToServer ? model::Direction::ClientToServer : model::Direction::ServerToClient;
}

// The record as it was on the wire. A complete record's 5-byte header sits
// right before its fragment in the framer's (or the stream's) memory, so that
// is a view; an SSLv2 hello or a truncated record (whose length field is
// rewritten to what is present) is rebuilt.
ByteView wireView(const wire::RecordView& v) {
  if (v.sslv2ClientHello || v.truncated || v.headerLength != wire::kRecordHeaderLength || v.fragment.data() == nullptr)
    return {};
  return ByteView(v.fragment.data() - wire::kRecordHeaderLength, wire::kRecordHeaderLength + v.fragment.size());
}

Bytes rebuiltWire(const wire::RecordView& v) {
  ByteWriter w(v.headerLength + v.fragment.size());
  if (v.sslv2ClientHello) {
    w.u16(0x8000 | (v.fragment.size() & 0x7fff)).bytes(v.fragment);  // RFC 5246 §E.2: top bit, 15-bit length
  } else {
    w.u8(v.contentType).u16(v.version).vector(2, v.fragment);
  }
  return std::move(w).take();
}

bool isTls13(const Connection& conn) { return conn.version == crypto::kTls13; }

// The framer counts stream offsets from its first byte; the Trace counts from
// the direction's first byte (they differ after a STARTTLS preamble or a gap).
void shiftStreamOffsets(model::Field& field, std::size_t by) {
  if (field.streamOffset) *field.streamOffset += by;
  for (auto& child : field.children) shiftStreamOffsets(child, by);
}

// A record-level message (alert, CCS, heartbeat) read in the clear points
// back into the stream: its content starts after the 5-byte record header.
void locate(model::TraceMessage& m, const model::TraceRecord& rec) {
  if (m.encrypted) return;
  wire::relocate(m.tree, 0, [&](std::size_t at) { return rec.streamOffset + wire::kRecordHeaderLength + at; });
}

// Which records are protected: TLS 1.2 everything after the sender's
// ChangeCipherSpec; TLS 1.3 only application_data-typed records after the
// hellos (ChangeCipherSpec stays plaintext, RFC 8446 §5). Without the
// handshake, application data is assumed protected (it always is, short of a
// NULL cipher).
bool isProtected(const Connection& conn, const DirectionState& ds, std::uint8_t type) {
  const auto appData = static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
  if (!conn.hs.sawClientHello && !conn.hs.sawServerHello) return type == appData;
  if (!ds.encrypted) return false;
  if (isTls13(conn) || (conn.version == 0 && conn.hs.earlyDataOffered)) return type == appData;
  return true;
}

// After a capture gap the record sequence number (in every nonce and MAC) is
// unknown: try the numbers the lost bytes could have used, up to one record
// per 5 lost bytes (a record header alone is 5), and resume where one opens.
bool resync(Shared& shared, Connection& conn, DirectionState& ds, ByteView wire, bool keep,
            model::RecordCrypto& out, std::size_t recordIndex) {
  // A few records after the gap are enough to find the sequence number; if
  // none opens (a key change was lost too), stop paying for the search.
  if (!ds.cipher || ds.resyncTries >= 8) return false;
  ds.resyncTries += 1;
  const std::uint64_t budget = std::min<std::uint64_t>(4096, ds.lostBytes / wire::kRecordHeaderLength + 2);
  for (std::uint64_t k = 0; k < budget; ++k) {
    auto attempt = ds.cipher->decrypt(wire, ds.sequence + k, keep);
    if (attempt.verdict != model::RecordVerdict::Decrypted && attempt.verdict != model::RecordVerdict::NotEncrypted)
      continue;
    traceOf(shared, conn).diagnostics.push_back(
        {model::Severity::Info, "record", std::nullopt,
         fmt::format("decryption resumed at record {} after the gap: {} record(s) were lost (sequence number {})",
                     recordIndex, k, ds.sequence + k),
         model::DiagnosticCode::RecordResynced});
    ds.sequence += k + 1;
    ds.lostSync = false;
    ds.lostBytes = 0;
    out = std::move(attempt);
    return true;
  }
  return false;
}

void addMessage(Shared& shared, Connection& conn, model::TraceRecord& rec, model::TraceMessage message) {
  model::TraceConnection& tc = traceOf(shared, conn);
  rec.messages.push_back(tc.messages.size());
  message.firstRecord = message.lastRecord = rec.index;
  message.direction = rec.direction;
  tc.messages.push_back(std::move(message));
}

// A record-level message (Alert, ChangeCipherSpec, Heartbeat) with its field tree.
using Describe = model::Field (*)(ByteView, std::size_t, std::vector<model::Diagnostic>&);
model::TraceMessage recordMessage(const char* name, Describe describe, ByteView content, bool encrypted,
                                  const model::TraceRecord& rec) {
  model::TraceMessage m;
  m.name = name;
  m.bytes.assign(content.begin(), content.end());
  m.tree = describe(content, 0, m.diagnostics);
  m.encrypted = encrypted;
  locate(m, rec);
  return m;
}

void onAlert(Shared& shared, Connection& conn, model::TraceRecord& rec, ByteView content, bool encrypted) {
  model::TraceMessage m = recordMessage("Alert", wire::describeAlert, content, encrypted, rec);
  model::TraceConnection& tc = traceOf(shared, conn);
  if (content.size() >= 2) {
    const char* desc = wire::alertDescriptionName(content[1]);
    const std::string name = desc ? desc : fmt::format("unknown({})", content[1]);
    if (content[0] == 2) {
      conn.fatalAlert = true;
      tc.state = {model::ConnectionState::Kind::Alert,
                  fmt::format("alert: {} ({})", name,
                              rec.direction == model::Direction::ClientToServer ? "from client" : "from server")};
    } else if (content[1] == 0 && !conn.fatalAlert && conn.hs.done) {
      tc.state = {model::ConnectionState::Kind::Closed, "ok (closed with close_notify)"};
    }
  }
  addMessage(shared, conn, rec, std::move(m));
}

// All of it, or (payloadPreview) the first bytes of each conversation turn
// and a count of the rest.
void keepAppData(const Shared& shared, Connection& conn, model::TraceConnection& tc, const model::TraceRecord& rec,
                 ByteView content) {
  const std::size_t preview = shared.options.payloadPreview;
  if (preview == 0) {
    tc.appData.push_back({rec.direction, rec.index, Bytes(content.begin(), content.end())});
    return;
  }
  if (tc.appData.empty() || tc.appData.back().direction != rec.direction) conn.turnKept = 0;
  const std::size_t kept = std::min(content.size(), preview - std::min(preview, conn.turnKept));
  conn.turnKept += kept;
  tc.appData.push_back({rec.direction, rec.index, Bytes(content.begin(), content.begin() + kept), content.size() - kept});
}

void onPlainContent(Shared& shared, Connection& conn, capture::Direction d, model::TraceRecord& rec, ByteView content,
                    std::size_t headerLength, bool encrypted) {
  DirectionState& ds = conn.dir[capture::index(d)];
  model::TraceConnection& tc = traceOf(shared, conn);
  switch (static_cast<wire::ContentType>(rec.innerContentType)) {
    case wire::ContentType::Handshake: {
      ds.reassembler.setTls13(isTls13(conn));
      ds.handshakeRecords.push_back(rec.index);
      std::vector<wire::ReassembledMessage> done;
      ds.reassembler.addRecord(content, rec.streamOffset, headerLength, ds.epoch, done);
      for (auto& m : done) onHandshakeMessage(shared, conn, d, m, encrypted);
      break;
    }
    case wire::ContentType::ChangeCipherSpec: {
      addMessage(shared, conn, rec,
                 recordMessage("ChangeCipherSpec", wire::describeChangeCipherSpec, content, encrypted, rec));
      // TLS 1.2: the sender's next record is protected with the new keys.
      // TLS 1.3: a no-op kept for middleboxes (RFC 8446 §D.4).
      if (!isTls13(conn) && conn.hs.sawServerHello) activateTls12Keys(shared, conn, d);
      break;
    }
    case wire::ContentType::Alert: onAlert(shared, conn, rec, content, encrypted); break;
    case wire::ContentType::Heartbeat:
      addMessage(shared, conn, rec, recordMessage("Heartbeat", wire::describeHeartbeat, content, encrypted, rec));
      break;
    case wire::ContentType::ApplicationData:
      if (shared.options.keepPayloads && !content.empty()) keepAppData(shared, conn, tc, rec, content);
      break;
    default:
      tc.diagnostics.push_back({model::Severity::Warning, "record", rec.streamOffset,
                                fmt::format("record {} has content type {} which tlslab does not dissect", rec.index,
                                            rec.innerContentType),
                                model::DiagnosticCode::RecordUnknownType});
      break;
  }
}

// Classify: the record as the Trace shows it, before any key is tried.
model::TraceRecord classify(Shared& shared, Connection& conn, capture::Direction d, const wire::RecordView& view,
                            const capture::StreamChunk& chunk) {
  DirectionState& ds = conn.dir[capture::index(d)];
  model::TraceConnection& tc = traceOf(shared, conn);
  model::TraceRecord rec;
  rec.index = tc.records.size();
  rec.direction = toModel(d);
  rec.time = secondsSince(conn, chunk.time);
  rec.frame = chunk.frame;
  rec.contentType = view.contentType;
  rec.version = view.version;
  rec.streamOffset = static_cast<std::size_t>(ds.base) + view.streamOffset;
  // Without kept records (bulk runs) nobody reads the header's field tree.
  if (shared.options.keepRecords && !view.sslv2ClientHello) {
    rec.header = wire::describeRecordHeader(view);
    shiftStreamOffsets(rec.header, static_cast<std::size_t>(ds.base));
  }
  for (const auto& diag : view.diagnostics) {
    model::Diagnostic copy = diag;
    if (copy.offset) *copy.offset += static_cast<std::size_t>(ds.base);
    tc.diagnostics.push_back(std::move(copy));
  }
  rec.encrypted = !view.sslv2ClientHello && isProtected(conn, ds, view.contentType) && !view.truncated;
  return rec;
}

// An SSLv2-compatible ClientHello: shown, and its challenge taken for the
// client random (RFC 5246 §E.2: right-aligned in 32 zero bytes).
void onSslv2ClientHello(Shared& shared, Connection& conn, const wire::RecordView& view, ByteView wire,
                        model::TraceRecord rec) {
  model::TraceConnection& tc = traceOf(shared, conn);
  model::TraceMessage m;
  m.name = "SSLv2 ClientHello";
  m.bytes.assign(wire.begin(), wire.end());
  m.tree = wire::describeSslv2ClientHello(view, m.diagnostics);
  if (const model::Field* challenge = model::findField(m.tree, "challenge");
      challenge && !conn.hs.sawClientHello && challenge->length <= 32 && challenge->offset + challenge->length <= wire.size()) {
    conn.hs.sawClientHello = true;
    conn.hs.clientRandom.assign(32 - challenge->length, 0);
    conn.hs.clientRandom.insert(conn.hs.clientRandom.end(), wire.begin() + static_cast<std::ptrdiff_t>(challenge->offset),
                                wire.begin() + static_cast<std::ptrdiff_t>(challenge->offset + challenge->length));
    tc.clientRandom = conn.hs.clientRandom;
  }
  rec.wire.assign(wire.begin(), wire.end());
  rec.wireSize = rec.wire.size();
  tc.records.push_back(std::move(rec));
  addMessage(shared, conn, tc.records.back(), std::move(m));
  // Counted like any record (streaming record counts missed it).
  if (shared.options.onRecord) shared.options.onRecord(tc, tc.records.back());
}

// Open: a protected record with the keys in force (after a gap, by finding
// the sequence number first). True when its plaintext can be read; otherwise
// rec.undecryptedReason says why.
bool open(Shared& shared, Connection& conn, DirectionState& ds, ByteView wire, bool keep, model::TraceRecord& rec) {
  conn.anyEncrypted = true;
  rec.keyPhase = ds.keyPhase;
  model::RecordCrypto resynced;
  if (ds.lostSync && !resync(shared, conn, ds, wire, keep, resynced, rec.index)) {
    rec.undecryptedReason = ds.lostSyncReason;
    return false;
  }
  if (!resynced.plaintext.empty() || resynced.verdict == model::RecordVerdict::Decrypted) {
    conn.anyOpened = true;
    rec.innerContentType = resynced.contentType;
    rec.plaintext = resynced.plaintext;
    if (keep) rec.crypto = std::move(resynced);
    return true;
  }
  if (!ds.cipher && ds.earlyCandidates.empty()) {
    if (ds.keyPhase == model::KeyPhase::early() && conn.hs.sawClientHello &&
        shared.keys.findByClientRandom(conn.hs.clientRandom)) {
      rec.undecryptedReason = kEarlyDataNoKey;
      return false;
    }
    if (conn.reason.empty()) conn.reason = noKeyReason(shared, conn);
    rec.undecryptedReason = conn.reason;
    if (shared.options.retainForLateKeys) conn.noKeyRecords.push_back(rec.index);  // bulk mode keeps no list
    return false;
  }
  model::RecordCrypto crypto;
  if (isTls13(conn) || (!ds.cipher && !ds.earlyCandidates.empty()) || (conn.version == 0 && conn.hs.earlyDataOffered)) {
    crypto = tls13Open(conn, ds, wire, keep);
    rec.keyPhase = ds.keyPhase;
  } else {
    crypto = ds.cipher->decrypt(wire, ds.sequence++, keep);
  }
  bool opened = false;
  if (crypto.verdict == model::RecordVerdict::Decrypted || crypto.verdict == model::RecordVerdict::NotEncrypted) {
    opened = true;
    conn.anyOpened = true;
    rec.innerContentType = crypto.contentType;
    // Bulk data (payloads not kept) moves the plaintext instead of copying it.
    if (keep) rec.plaintext = crypto.plaintext;
    else rec.plaintext = std::move(crypto.plaintext);
  } else if (ds.skippedEarly) {
    ds.skippedEarly = false;
    rec.keyPhase = model::KeyPhase::early();
    rec.undecryptedReason = kEarlyDataNoKey;
  } else {
    if (!conn.firstFailure) conn.firstFailure = rec.index;
    rec.undecryptedReason = fmt::format("MAC/tag failure at record {}: {}", rec.index,
                                        crypto.note.empty() ? model::recordVerdictName(crypto.verdict) : crypto.note);
  }
  if (keep) rec.crypto = std::move(crypto);
  return opened;
}

// Dispatch: readable content to its parser; a TLS 1.2 handshake record that
// stayed encrypted becomes a placeholder message.
void dispatch(Shared& shared, Connection& conn, capture::Direction d, const wire::RecordView& view,
              model::TraceRecord& stored, bool opened) {
  if (opened && !view.truncated) {
    // Parsers read the plaintext in place (nothing below adds records, so the
    // reference stays valid); it is dropped afterwards when payloads are not kept.
    onPlainContent(shared, conn, d, stored, stored.plaintext, view.headerLength, stored.encrypted);
  } else if (stored.encrypted && !isTls13(conn) && view.contentType == 22) {
    model::TraceMessage m;
    m.name = "Encrypted Handshake Message";
    m.encrypted = true;
    addMessage(shared, conn, stored, std::move(m));
  }
}

void onRecord(Shared& shared, Connection& conn, capture::Direction d, const wire::RecordView& view,
              const capture::StreamChunk& chunk) {
  DirectionState& ds = conn.dir[capture::index(d)];
  model::TraceRecord rec = classify(shared, conn, d, view, chunk);
  // Copied only when the record keeps it (or it had to be rebuilt).
  Bytes rebuilt;
  ByteView wire = wireView(view);
  if (wire.empty()) {
    rebuilt = rebuiltWire(view);
    wire = rebuilt;
  }
  if (view.sslv2ClientHello) return onSslv2ClientHello(shared, conn, view, wire, std::move(rec));

  // What is kept of a record: everything, except for application data when
  // payloads are not kept. TLS 1.3 hides handshake messages in
  // application_data records: those under handshake (or early) keys are kept,
  // and so is any record whose inner type turns out not to be data.
  const bool appData = view.contentType == static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
  const bool keepAll = shared.options.keepPayloads && shared.options.payloadPreview == 0;
  const bool keep = keepAll || !appData || ds.keyPhase == model::KeyPhase::handshake() ||
                    ds.keyPhase == model::KeyPhase::early();
  bool opened = true;
  if (rec.encrypted) {
    opened = open(shared, conn, ds, wire, keep, rec);
  } else {
    rec.innerContentType = view.contentType;
    rec.plaintext.assign(view.fragment.begin(), view.fragment.end());
    if (view.truncated) rec.undecryptedReason = "the capture ends inside this record";
  }
  const bool keepBytes = keep || (rec.innerContentType != 0 &&
                                  rec.innerContentType != static_cast<std::uint8_t>(wire::ContentType::ApplicationData));
  if (keepBytes) rec.wire.assign(wire.begin(), wire.end());
  rec.wireSize = wire.size();
  rec.plaintextSize = rec.plaintext.size();

  model::TraceConnection& tc = traceOf(shared, conn);
  tc.records.push_back(std::move(rec));
  model::TraceRecord& stored = tc.records.back();
  dispatch(shared, conn, d, view, stored, opened);
  model::TraceRecord& last = traceOf(shared, conn).records[stored.index];
  if (!keepBytes) Bytes().swap(last.plaintext);  // frees it (`= {}` would keep the capacity)
  if (shared.options.onRecord) shared.options.onRecord(traceOf(shared, conn), last);
}

}  // namespace

void onRecordContent(Shared& shared, Connection& conn, capture::Direction d, model::TraceRecord& rec, ByteView content,
                     std::size_t headerLength, bool encrypted) {
  onPlainContent(shared, conn, d, rec, content, headerLength, encrypted);
}

void feedTls(Shared& shared, Connection& conn, const capture::StreamChunk& chunk) {
  DirectionState& ds = conn.dir[capture::index(chunk.direction)];
  if (!ds.tls) {
    ds.tls = true;
    ds.base = chunk.offset;
  }
  ds.framer.feed(chunk.data, [&](const wire::RecordView& view) { onRecord(shared, conn, chunk.direction, view, chunk); });
}

void flushDirection(Shared& shared, Connection& conn, capture::Direction direction, capture::Timestamp time) {
  DirectionState& ds = conn.dir[capture::index(direction)];
  if (!ds.tls) return;
  capture::StreamChunk end;
  end.direction = direction;
  end.time = time;
  end.offset = ds.base + ds.framer.consumed();
  ds.framer.finish([&](const wire::RecordView& view) { onRecord(shared, conn, direction, view, end); });
  std::vector<wire::ReassembledMessage> partial;
  ds.reassembler.finish(partial);
  for (auto& m : partial) onHandshakeMessage(shared, conn, direction, m, ds.encrypted);
}

}  // namespace tlslab::dissect
