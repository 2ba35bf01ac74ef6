// DTLS record and handshake framing (RFC 6347 §4.1, §4.2.2, §4.2.3).
#include "tlslab/wire/Dtls.hpp"

#include <fmt/core.h>

#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::wire::dtls {

bool isDtlsVersion(std::uint16_t version) {
  return version == kDtls10 || version == kDtls12 || version == kDtls13 || version == kDtls1BadVer;
}

std::string dtlsVersionName(std::uint16_t version) {
  switch (version) {
    case kDtls10: return "DTLS 1.0";
    case kDtls12: return "DTLS 1.2";
    case kDtls13: return "DTLS 1.3";
    case kDtls1BadVer: return "DTLS 1.0 (OpenSSL pre-0.9.8f, 0x0100)";
    default: return fmt::format("DTLS 0x{:04x}", version);
  }
}

std::uint16_t tlsEquivalent(std::uint16_t dtlsVersion) {
  switch (dtlsVersion) {
    case kDtls12: return 0x0303;
    case kDtls13: return 0x0304;
    default: return 0x0302;  // DTLS 1.0 and the pre-RFC 0x0100 are TLS 1.1
  }
}

DatagramRecords splitDatagram(ByteView datagram, std::size_t base) {
  DatagramRecords out;
  ByteReader r(datagram, base);
  while (!r.empty()) {
    Record rec;
    rec.offset = r.offset() - base;
    rec.header.type = r.u8("DTLSPlaintext.type");
    rec.header.version = r.u16("DTLSPlaintext.version");
    rec.header.epoch = r.u16("DTLSPlaintext.epoch");
    rec.header.sequence = r.uN(6, "DTLSPlaintext.sequence_number");
    rec.header.length = r.u16("DTLSPlaintext.length");
    if (r.failed()) {
      out.error = r.error();
      break;
    }
    if (rec.header.type < 20 || rec.header.type > 26 || !isDtlsVersion(rec.header.version)) {
      out.error = ParseError{ParseAlert::DecodeError,
                             fmt::format("not a DTLS record: type {} version 0x{:04x}", rec.header.type,
                                         rec.header.version),
                             base + rec.offset};
      break;
    }
    // RFC 6347 §4.1: at most 2^14 + 2048 bytes of TLSCiphertext.
    if (rec.header.length > 16384 + 2048) {
      out.error = ParseError{ParseAlert::RecordOverflow,
                             fmt::format("DTLSPlaintext.length {} exceeds 2^14 + 2048", rec.header.length),
                             base + rec.offset + 11};
      break;
    }
    rec.fragment = r.bytes(rec.header.length, "DTLSPlaintext.fragment");
    if (r.failed()) {
      out.error = r.error();
      break;
    }
    rec.wire = datagram.subspan(rec.offset, kRecordHeaderLength + rec.header.length);
    out.records.push_back(rec);
  }
  return out;
}

HandshakeFragments splitHandshakeRecord(ByteView fragment, std::size_t base) {
  HandshakeFragments out;
  ByteReader r(fragment, base);
  while (!r.empty()) {
    HandshakeFragment f;
    const std::size_t at = r.offset();
    f.msgType = r.u8("Handshake.msg_type");
    f.length = r.u24("Handshake.length");
    f.messageSeq = r.u16("Handshake.message_seq");
    f.fragmentOffset = r.u24("Handshake.fragment_offset");
    f.fragmentLength = r.u24("Handshake.fragment_length");
    if (r.failed()) {
      out.error = r.error();
      break;
    }
    if (std::uint64_t{f.fragmentOffset} + f.fragmentLength > f.length) {
      out.error = ParseError{ParseAlert::IllegalParameter,
                             fmt::format("Handshake fragment {}+{} runs past the message length {}", f.fragmentOffset,
                                         f.fragmentLength, f.length),
                             at + 6};
      break;
    }
    f.body = r.bytes(f.fragmentLength, "Handshake.fragment");
    if (r.failed()) {
      out.error = r.error();
      break;
    }
    out.fragments.push_back(f);
  }
  return out;
}

namespace {

ReassembledMessage finish(std::uint8_t type, std::uint16_t seq, const Bytes& body, std::size_t fragments) {
  ReassembledMessage m;
  m.msgType = type;
  m.messageSeq = seq;
  m.fragments = fragments;
  const auto len = static_cast<std::uint32_t>(body.size());
  ByteWriter tls(4 + body.size());
  tls.u8(type).u24(len).bytes(body);
  m.tlsBytes = std::move(tls).take();
  ByteWriter d(kHandshakeHeaderLength + body.size());
  d.u8(type).u24(len).u16(seq).u24(0).u24(len).bytes(body);
  m.dtlsBytes = std::move(d).take();
  return m;
}

}  // namespace

FragmentResult HandshakeReassembler::add(const HandshakeFragment& f) {
  FragmentResult out;
  // A message already released, or completed and waiting: the peer resent its flight.
  if (f.messageSeq < nextSeq_ || ready_.count(f.messageSeq)) {
    ++retransmissions_;
    out.outcome = FragmentOutcome::Retransmission;
    return out;
  }
  if (f.length > kMaxMessage) {
    out.outcome = FragmentOutcome::Rejected;
    out.problem = fmt::format("message_seq {}: length {} is over tlslab's {}-byte bound for one handshake message",
                              f.messageSeq, f.length, kMaxMessage);
    return out;
  }
  if (f.messageSeq - nextSeq_ >= 64) {
    out.outcome = FragmentOutcome::Rejected;
    out.problem = fmt::format("message_seq {} is far ahead of the next expected ({})", f.messageSeq, nextSeq_);
    return out;
  }
  if (f.fragmentOffset == 0 && f.fragmentLength == f.length && !pending_.count(f.messageSeq)) {
    ready_[f.messageSeq] = finish(f.msgType, f.messageSeq, Bytes(f.body.begin(), f.body.end()), 1);
    out.outcome = FragmentOutcome::Completed;
    return out;
  }
  auto it = pending_.find(f.messageSeq);
  if (it == pending_.end()) {
    if (pending_.size() >= kMaxPending) {
      out.outcome = FragmentOutcome::Rejected;
      out.problem = fmt::format("message_seq {}: already {} incomplete messages held", f.messageSeq, kMaxPending);
      return out;
    }
    Pending p;
    p.msgType = f.msgType;
    p.length = f.length;
    p.body.assign(f.length, 0);
    p.have.assign(f.length, false);
    it = pending_.emplace(f.messageSeq, std::move(p)).first;
  }
  Pending& p = it->second;
  if (p.msgType != f.msgType || p.length != f.length) {
    out.outcome = FragmentOutcome::Rejected;
    out.problem = fmt::format("message_seq {}: fragment says type {} length {}, earlier ones type {} length {}",
                              f.messageSeq, f.msgType, f.length, p.msgType, p.length);
    return out;
  }
  std::size_t fresh = 0;
  for (std::uint32_t i = 0; i < f.fragmentLength; ++i) {
    const std::size_t at = f.fragmentOffset + i;
    if (!p.have[at]) {
      p.have[at] = true;
      p.body[at] = f.body[i];
      ++fresh;
    }
  }
  ++p.fragments;
  if (fresh == 0 && f.fragmentLength > 0) {
    ++retransmissions_;
    out.outcome = FragmentOutcome::Retransmission;
    return out;
  }
  p.haveCount += fresh;
  if (p.haveCount == p.length) {
    ready_[f.messageSeq] = finish(p.msgType, f.messageSeq, p.body, p.fragments);
    pending_.erase(it);
    out.outcome = FragmentOutcome::Completed;
    return out;
  }
  out.outcome = FragmentOutcome::Partial;
  return out;
}

std::vector<ReassembledMessage> HandshakeReassembler::takeInOrder() {
  std::vector<ReassembledMessage> out;
  for (auto it = ready_.find(nextSeq_); it != ready_.end(); it = ready_.find(nextSeq_)) {
    out.push_back(std::move(it->second));
    ready_.erase(it);
    ++nextSeq_;
  }
  return out;
}

}  // namespace tlslab::wire::dtls
