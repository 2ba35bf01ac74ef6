#pragma once
// HTTP/2 frame payloads (RFC 9113 §6), one at a time: padding and priority
// fields taken off, the rest named. No connection state here.
#include <optional>
#include <string>
#include <vector>

#include "tlslab/app/Conversation.hpp"
#include "tlslab/util/ByteReader.hpp"

namespace tlslab::app::detail {

enum FrameType : std::uint8_t {
  kData = 0x0, kHeaders = 0x1, kPriority = 0x2, kRstStream = 0x3, kSettings = 0x4,
  kPushPromise = 0x5, kPing = 0x6, kGoaway = 0x7, kWindowUpdate = 0x8, kContinuation = 0x9,
};
enum FrameFlag : std::uint8_t {
  kEndStream = 0x1, kAck = 0x1, kEndHeaders = 0x4, kPadded = 0x8, kPriorityFlag = 0x20,
};

struct FramePayload {
  ByteView content;            // DATA's data, or the header block fragment
  std::uint32_t promised = 0;  // PUSH_PROMISE's promised stream
  std::uint32_t errorCode = 0;  // RST_STREAM, GOAWAY
  std::vector<std::pair<std::uint16_t, std::uint32_t>> settings;
  std::string summary;
  std::optional<ParseError> error;  // offset: in the direction's stream
};

// `base`: the stream offset of payload[0].
FramePayload parseFramePayload(const Frame& frame, ByteView payload, std::size_t base);
std::string errorCodeName(std::uint32_t code);  // "CANCEL", "0x1f" when unknown

}  // namespace tlslab::app::detail
