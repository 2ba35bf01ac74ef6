#pragma once
// Shared by the app decoders: one direction's application bytes joined, with
// the record each piece came from, and small helpers.
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/app/Conversation.hpp"

namespace tlslab::app::detail {

struct DirStream {
  model::Direction direction = model::Direction::ClientToServer;
  Bytes data;
  std::vector<std::pair<std::size_t, std::size_t>> starts;  // (offset, record) of each chunk, ascending
  Place place(std::size_t offset) const;
};

DirStream joinDirection(std::span<const model::AppDataChunk> chunks, model::Direction direction);

const char* sideName(model::Direction direction);  // "client -> server"
std::string lower(std::string_view text);
bool equalsNoCase(std::string_view a, std::string_view b);
std::string_view trim(std::string_view text);
bool isText(ByteView bytes);  // printable ASCII, whitespace or valid UTF-8, not empty

void addDiagnostic(Conversation& out, model::DiagnosticCode code, model::Severity severity, const DirStream& stream,
                   std::size_t offset, std::string message);

void decodeHttp1(const DirStream (&streams)[2], const Limits& limits, Conversation& out);
void decodeHttp2(const DirStream (&streams)[2], const Limits& limits, Conversation& out);
void decodeLines(const DirStream (&streams)[2], const Limits& limits, Conversation& out);
// Undoes body.contentEncoding into body.decoded (gzip, x-gzip, deflate, br, identity).
void decodeContent(Body& body, const Limits& limits);
// Appends up to the cap; counts every byte.
void appendBody(Body& body, ByteView bytes, const Limits& limits);

}  // namespace tlslab::app::detail
