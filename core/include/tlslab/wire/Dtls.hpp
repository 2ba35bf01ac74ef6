#pragma once
// DTLS framing (RFC 6347 §4.1, §4.2.2; RFC 4347 for DTLS 1.0): records in a
// UDP datagram, each with a 13-byte header carrying the epoch and a 48-bit
// sequence number, and handshake messages with a 12-byte header that lets a
// message arrive in fragments, out of order and more than once (each flight is
// retransmitted on a timer, RFC 6347 §4.2.4). The reassembler turns them back
// into TLS-style messages (4-byte header + body) for the same parsers TLS uses.
//
// Every input is hostile: lengths are checked against the datagram, a
// message's size is bounded, and so is the number of messages held
// incomplete; problems come back as ParseErrors with the byte offset.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/model/Field.hpp"
#include "tlslab/util/ByteReader.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire::dtls {

inline constexpr std::uint16_t kDtls10 = 0xFEFF;
inline constexpr std::uint16_t kDtls12 = 0xFEFD;
inline constexpr std::uint16_t kDtls13 = 0xFEFC;
// OpenSSL before 0.9.8f wrote DTLS 1.0 as 0x0100 (DTLS1_BAD_VER) and a
// non-RFC record MAC (see crypto::RecordCipher::createDtls).
inline constexpr std::uint16_t kDtls1BadVer = 0x0100;
inline constexpr std::size_t kRecordHeaderLength = 13;
inline constexpr std::size_t kHandshakeHeaderLength = 12;
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 48) - 1;

bool isDtlsVersion(std::uint16_t version);
// "DTLS 1.2", "DTLS 1.0 (OpenSSL pre-0.9.8f)", ...
std::string dtlsVersionName(std::uint16_t version);
// The TLS version whose cryptography a DTLS version uses (RFC 6347 §4.1:
// DTLS 1.0 is TLS 1.1's, DTLS 1.2 is TLS 1.2's).
std::uint16_t tlsEquivalent(std::uint16_t dtlsVersion);

struct RecordHeader {
  std::uint8_t type = 0;
  std::uint16_t version = 0;
  std::uint16_t epoch = 0;
  std::uint64_t sequence = 0;  // 48 bits
  std::uint16_t length = 0;
  // epoch || sequence_number, the 64-bit value the MAC and AEAD use (RFC 6347 §4.1.2.1, §4.1.2.3).
  std::uint64_t macSequence() const { return (std::uint64_t{epoch} << 48) | sequence; }
};

struct Record {
  RecordHeader header;
  std::size_t offset = 0;  // of the header in the datagram
  ByteView wire;           // header + fragment
  ByteView fragment;
};

struct DatagramRecords {
  std::vector<Record> records;
  std::optional<ParseError> error;  // the first bad record; records before it are kept
};

// The records of one datagram (several may share one, RFC 6347 §4.1.1).
// `base` is added to offsets in errors (e.g. the datagram's offset in its frame).
DatagramRecords splitDatagram(ByteView datagram, std::size_t base = 0);

// The header's field tree (DtlsFields.cpp), offsets relative to record.wire;
// `streamOffset` is where the record starts in its direction's datagram bytes.
model::Field describeRecordHeader(const Record& record, std::size_t streamOffset);

struct HandshakeFragment {
  std::uint8_t msgType = 0;
  std::uint32_t length = 0;  // of the whole message
  std::uint16_t messageSeq = 0;
  std::uint32_t fragmentOffset = 0;
  std::uint32_t fragmentLength = 0;
  ByteView body;  // fragmentLength bytes
};

struct HandshakeFragments {
  std::vector<HandshakeFragment> fragments;
  std::optional<ParseError> error;
};

// The handshake fragments in one (plaintext) handshake record's fragment.
HandshakeFragments splitHandshakeRecord(ByteView fragment, std::size_t base = 0);

// A complete handshake message, as TLS would have framed it: type(1) ||
// length(3) || body, plus the DTLS fields. `dtlsBytes` is the 12-byte DTLS
// header with fragment_offset 0 and fragment_length = length, then the body:
// what DTLS 1.2's Finished and transcript hash cover (RFC 6347 §4.2.6).
struct ReassembledMessage {
  std::uint8_t msgType = 0;
  std::uint16_t messageSeq = 0;
  std::size_t fragments = 0;  // how many fragments it came in
  Bytes tlsBytes;
  Bytes dtlsBytes;
};

// What the reassembler did with one fragment.
enum class FragmentOutcome : std::uint8_t {
  Partial,        // held, the message is not complete yet
  Completed,      // completed a message: takeInOrder() releases it once every earlier one is done
  Retransmission, // a message already completed (or a fragment already held): a resent flight
  Rejected,       // inconsistent or over a bound: `problem` says why
};

struct FragmentResult {
  FragmentOutcome outcome = FragmentOutcome::Partial;
  std::string problem;
};

// One direction's handshake reassembly (RFC 6347 §4.2.3).
class HandshakeReassembler {
 public:
  static constexpr std::uint32_t kMaxMessage = 1u << 18;  // 256 KiB: certificate chains fit
  static constexpr std::size_t kMaxPending = 8;           // incomplete messages held at once

  FragmentResult add(const HandshakeFragment& fragment);
  // The next message_seq expected (everything below it has been completed).
  std::uint16_t nextSeq() const { return nextSeq_; }
  std::size_t retransmissions() const { return retransmissions_; }
  // A new handshake on the same association (renegotiation restarts message_seq at 0
  // only in a new epoch context; RFC 6347 §4.2.2): forget everything.
  void reset() { *this = HandshakeReassembler(); }
  // The next message_seq belongs to something that is not a handshake
  // message: pre-RFC OpenSSL (0x0100) numbered its ChangeCipherSpec as one.
  // takeInOrder() then releases what waited behind it.
  void skipNext() {
    pending_.erase(nextSeq_);
    ++nextSeq_;
  }

 private:
  struct Pending {
    std::uint8_t msgType = 0;
    std::uint32_t length = 0;
    Bytes body;
    std::vector<bool> have;  // per byte
    std::size_t haveCount = 0;
    std::size_t fragments = 0;
  };
  std::map<std::uint16_t, Pending> pending_;
  std::map<std::uint16_t, ReassembledMessage> ready_;  // completed out of order, not yet released
  std::uint16_t nextSeq_ = 0;
  std::size_t retransmissions_ = 0;

 public:
  // Messages completed ahead of nextSeq(), released in order by add().
  std::size_t heldAhead() const { return ready_.size(); }
  // Drains the messages that are now in order (after add returned Completed
  // for an earlier one, later ones may follow).
  std::vector<ReassembledMessage> takeInOrder();
};

}  // namespace tlslab::wire::dtls
