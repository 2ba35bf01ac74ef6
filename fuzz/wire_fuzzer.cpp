// libFuzzer target for the wire layer: record framing (whole buffer and in
// chunks, which must agree), handshake reassembly, message parsing under
// every context, and the explain renderers. Any crash, sanitizer report or
// broken invariant (trap) is a bug: the dissector must only ever annotate.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tlslab/model/TraceJson.hpp"
#include "tlslab/wire/Explain.hpp"
#include "tlslab/wire/Handshake.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"

namespace {

using tlslab::ByteView;
using namespace tlslab::wire;

struct Framed {
  std::uint8_t type;
  std::size_t offset;
  std::size_t length;
};

std::vector<Framed> frame(ByteView data, std::size_t chunk) {
  std::vector<Framed> out;
  RecordFramer framer;
  auto sink = [&](const RecordView& r) { out.push_back({r.contentType, r.streamOffset, r.fragment.size()}); };
  for (std::size_t i = 0; i < data.size(); i += chunk) framer.feed(data.subspan(i, std::min(chunk, data.size() - i)), sink);
  framer.finish(sink);
  return out;
}

void reassembleAndParse(ByteView data) {
  RecordFramer framer;
  HandshakeReassembler reassembler;
  reassembler.setTls13(!data.empty() && (data[0] & 1));
  std::vector<ReassembledMessage> messages;
  int epoch = 0;
  auto sink = [&](const RecordView& r) {
    if (r.contentType == 20) ++epoch;
    if (r.contentType == 22) reassembler.addRecord(r.fragment, r.streamOffset, r.headerLength, epoch, messages);
  };
  framer.feed(data, sink);
  framer.finish(sink);
  reassembler.finish(messages);
  ParseContext ctx;
  for (const auto& m : messages) {
    HandshakeMessage parsed = parseHandshakeMessage(m.bytes, ctx);
    updateContext(ctx, parsed);
    for (const auto& d : parsed.diagnostics)
      if (d.offset && *d.offset > m.bytes.size()) __builtin_trap();  // offsets stay inside the message
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView input(data, size);

  // Framing is chunking-independent.
  auto whole = frame(input, size == 0 ? 1 : size);
  std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 7;
  auto chunked = frame(input, chunk);
  if (whole.size() != chunked.size()) __builtin_trap();
  for (std::size_t i = 0; i < whole.size(); ++i)
    if (whole[i].type != chunked[i].type || whole[i].offset != chunked[i].offset ||
        whole[i].length != chunked[i].length)
      __builtin_trap();

  reassembleAndParse(input);

  // One message under each kind of context.
  static const ParseContext contexts[] = {
      ParseContext{},
      ParseContext{0x0304, 0x1301, std::nullopt},
      ParseContext{0x0303, 0xC02F, 0x001d},
      ParseContext{0x0303, 0x009E, std::nullopt},
      ParseContext{0x0303, 0x002F, std::nullopt},
      ParseContext{0x0301, 0x0035, std::nullopt},
  };
  for (const auto& ctx : contexts) (void)parseHandshakeMessage(input, ctx);

  // The explain views (as the CLI and GUI use them). The trees are built for
  // every input; rendering them is plain formatting through nlohmann, which
  // cost more than all the parsing (a quarter of the time at 1 input in 8,
  // measured with perf), so only 1 input in 32 (by its last byte) is rendered.
  ExplainResult records = explainRecords(input);
  if (size > 0 && data[size - 1] % 32 == 0) {
    (void)tlslab::model::toJsonText(toJson(records));
    (void)toText(records);
  }
  ExplainResult bare = explainMessages(input);
  (void)toText(bare, false);
  return 0;
}
