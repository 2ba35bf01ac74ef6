// libFuzzer target for core/app, the application protocols inside TLS
// (issue 18): HTTP/2 framing, HPACK through libnghttp2, DATA reassembly and
// content decoding, HTTP/1.1 messages and lines, then the text and JSON views.
// Input: byte 0 picks how the protocol is chosen (ALPN h2, ALPN http/1.1, by
// detection, SMTP after STARTTLS) and, in its bit 2, small caps (so the cap
// paths are reached); then chunks, each a byte whose low bit is the direction,
// a length byte, and that many bytes (cut at the end of the input).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "tlslab/app/Conversation.hpp"
#include "tlslab/app/Render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tlslab;
  if (size < 1) return 0;
  static const char* const alpns[] = {"h2", "http/1.1", "", ""};
  const int mode = data[0] & 3;
  app::Limits limits;
  if (data[0] & 4) limits = {4096, 256, 64};
  std::vector<model::AppDataChunk> chunks;
  std::size_t at = 1;
  while (at + 2 <= size) {
    const auto direction = (data[at] & 1) ? model::Direction::ServerToClient : model::Direction::ClientToServer;
    const std::size_t length = std::min<std::size_t>(data[at + 1], size - at - 2);
    chunks.push_back({direction, chunks.size(), Bytes(data + at + 2, data + at + 2 + length)});
    at += 2 + length;
  }
  const app::Conversation c = app::decodeConversation(chunks, alpns[mode], mode == 3 ? "SMTP" : "", limits);
  (void)app::conversationText(c);
  (void)app::conversationJson(c).dump();
  return 0;
}
