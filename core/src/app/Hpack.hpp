#pragma once
// One HPACK decoding context (RFC 7541) per direction, through libnghttp2's
// inflater: the dynamic table carries over from one header block to the next,
// so blocks must be fed in the order the sender wrote them, and after an
// error the context is lost for good (later blocks cannot be trusted).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/app/Conversation.hpp"

struct nghttp2_hd_inflater;

namespace tlslab::app::detail {

class HpackDecoder {
 public:
  HpackDecoder();
  bool broken() const { return broken_; }
  // The header list of one whole block; nullopt with `error` set when it does not decode.
  std::optional<std::vector<Header>> decode(ByteView block, std::size_t maxDecoded, std::string& error);
  // The peer's SETTINGS_HEADER_TABLE_SIZE: how large a table the encoder may use.
  void allowTableSize(std::size_t size);
  // Blocks were skipped or cut: the dynamic table is no longer the sender's.
  void lose() { broken_ = true; }

 private:
  std::unique_ptr<nghttp2_hd_inflater, void (*)(nghttp2_hd_inflater*)> inflater_;
  bool broken_ = false;
};

}  // namespace tlslab::app::detail
