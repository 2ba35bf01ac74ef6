// The conversation as text (the printout and the GUI's text pane) and JSON.
#include "tlslab/app/Render.hpp"

#include <fmt/core.h>

#include <map>
#include <nlohmann/json.hpp>

#include "app/Internal.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace tlslab::app {

namespace {

using detail::isText;
using detail::sideName;

const char* arrow(model::Direction d) { return d == model::Direction::ClientToServer ? "C->S" : "S->C"; }

std::string hexDump(ByteView data, const std::string& indent) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += 16) {
    const std::size_t n = std::min<std::size_t>(16, data.size() - at);
    std::string hex, ascii;
    for (std::size_t i = 0; i < 16; ++i) {
      if (i < n) {
        hex += fmt::format("{:02x} ", data[at + i]);
        const char c = static_cast<char>(data[at + i]);
        ascii += (c >= 0x20 && c < 0x7f) ? c : '.';
      } else {
        hex += "   ";
      }
      if (i == 7) hex += ' ';
    }
    out += fmt::format("{}{:08x}  {} |{}|\n", indent, at, hex, ascii);
  }
  return out;
}

void body(std::string& out, const Body& b, const TextOptions& options) {
  if (b.length == 0) return;
  std::string about = fmt::format("{} bytes", b.length);
  if (b.capped) about += fmt::format(", {} kept (tlslab's cap)", b.data.size());
  if (!b.contentEncoding.empty()) {
    about += ", Content-Encoding " + b.contentEncoding;
    if (b.decoded) about += fmt::format(", {} bytes decoded", b.decoded->size());
  }
  out += "\nbody (" + about + "):\n";
  if (!b.decodeError.empty()) out += "  (" + b.decodeError + ")\n";
  const Bytes& shown = b.shown();
  const ByteView part = ByteView(shown).first(std::min(shown.size(), options.maxBodyShown));
  if (!options.hex && isText(part)) {
    out.append(reinterpret_cast<const char*>(part.data()), part.size());
    if (out.back() != '\n') out += '\n';
  } else {
    out += hexDump(part, "");
  }
  if (part.size() < shown.size()) out += fmt::format("... {} more bytes not shown\n", shown.size() - part.size());
}

void message(std::string& out, const Message& m, const TextOptions& options) {
  out += fmt::format("--- {} · {} · record {} · offset {}{} ---\n", m.request ? "request" : "response",
                     sideName(m.at.direction), m.at.record, m.at.offset,
                     m.stream ? fmt::format(" · stream {}", m.stream) : "");
  if (m.stream == 0) out += m.startLine + "\n";
  for (const Header& h : m.headers) out += h.name + ": " + h.value + "\n";
  body(out, m.body, options);
  if (!m.trailers.empty()) {
    out += "\ntrailers:\n";
    for (const Header& h : m.trailers) out += h.name + ": " + h.value + "\n";
  }
  if (!m.note.empty()) out += "(" + m.note + ")\n";
  out += "\n";
}

void frame(std::string& out, const Frame& f) {
  const std::string flags = frameFlagsText(f.type, f.flags);
  out += fmt::format("  {} offset {:>8} record {:>5}  {:<13} {:>6} bytes{}  {}\n", arrow(f.at.direction), f.at.offset,
                     f.at.record, frameTypeName(f.type), f.length, flags.empty() ? "" : " [" + flags + "]", f.summary);
}

void http2(std::string& out, const Conversation& c, const TextOptions& options) {
  std::map<std::uint32_t, std::vector<const Frame*>> frames;
  std::map<std::uint32_t, std::vector<const Message*>> messages;
  for (const Frame& f : c.frames) frames[f.stream].push_back(&f);
  for (const Message& m : c.messages) messages[m.stream].push_back(&m);
  for (const auto& [id, list] : messages) frames.try_emplace(id);
  for (const auto& [id, list] : frames) {
    out += id == 0 ? "=== connection (stream 0) ===\n" : fmt::format("=== stream {} ===\n", id);
    if (options.frames)
      for (const Frame* f : list) frame(out, *f);
    if (options.frames || id == 0) out += "\n";
    for (const Message* m : messages[id]) message(out, *m, options);
  }
}

}  // namespace

std::string conversationText(const Conversation& c, const TextOptions& options) {
  std::string out;
  if (c.protocol == Protocol::None) return out;
  out += fmt::format("application protocol: {} ({})\n", protocolName(c.protocol), c.selectedBy);
  if (c.protocol == Protocol::Http2)
    out += c.preface ? "client connection preface: PRI * HTTP/2.0\n" : "no client connection preface\n";
  out += "\n";
  switch (c.protocol) {
    case Protocol::Http1:
      for (const Message& m : c.messages) message(out, m, options);
      break;
    case Protocol::Http2: http2(out, c, options); break;
    case Protocol::Lines:
      for (const Line& l : c.lines) out += fmt::format("{}: {}\n", l.at.direction == model::Direction::ClientToServer ? "C" : "S", l.text);
      break;
    case Protocol::None:
    default: break;
  }
  for (const model::Diagnostic& d : c.diagnostics)
    out += fmt::format("! {} at {} offset {}: {}\n", model::severityName(d.severity), d.where, d.offset.value_or(0),
                       d.message);
  return out;
}

namespace {

nlohmann::json place(const Place& p) {
  return {{"direction", p.direction == model::Direction::ClientToServer ? "client->server" : "server->client"},
          {"offset", p.offset},
          {"record", p.record}};
}

nlohmann::json headers(const std::vector<Header>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const Header& h : list) out.push_back({{"name", h.name}, {"value", h.value}});
  return out;
}

nlohmann::json bodyJson(const Body& b) {
  nlohmann::json out = {{"length", b.length}, {"capped", b.capped}};
  if (!b.contentEncoding.empty()) out["contentEncoding"] = b.contentEncoding;
  if (b.decoded) out["decodedLength"] = b.decoded->size(), out["decodedCapped"] = b.decodedCapped;
  if (!b.decodeError.empty()) out["decodeError"] = b.decodeError;
  const Bytes& shown = b.shown();
  if (isText(shown)) out["text"] = std::string(shown.begin(), shown.end());
  else out["hex"] = toHex(shown);
  return out;
}

}  // namespace

nlohmann::json conversationJson(const Conversation& c) {
  nlohmann::json out = {{"protocol", protocolName(c.protocol)}, {"selectedBy", c.selectedBy}};
  if (c.protocol == Protocol::Http2) out["preface"] = c.preface;
  nlohmann::json messages = nlohmann::json::array();
  for (const Message& m : c.messages) {
    nlohmann::json j = {{"at", place(m.at)},         {"request", m.request}, {"startLine", m.startLine},
                        {"headers", headers(m.headers)}, {"body", bodyJson(m.body)}, {"complete", m.complete}};
    if (m.stream) j["stream"] = m.stream;
    if (!m.trailers.empty()) j["trailers"] = headers(m.trailers);
    if (!m.note.empty()) j["note"] = m.note;
    messages.push_back(std::move(j));
  }
  if (c.protocol == Protocol::Http1 || c.protocol == Protocol::Http2) out["messages"] = std::move(messages);
  if (c.protocol == Protocol::Http2) {
    nlohmann::json frames = nlohmann::json::array();
    for (const Frame& f : c.frames)
      frames.push_back({{"at", place(f.at)},
                        {"type", frameTypeName(f.type)},
                        {"flags", f.flags},
                        {"flagNames", frameFlagsText(f.type, f.flags)},
                        {"stream", f.stream},
                        {"length", f.length},
                        {"summary", f.summary}});
    out["frames"] = std::move(frames);
  }
  if (c.protocol == Protocol::Lines) {
    nlohmann::json lines = nlohmann::json::array();
    for (const Line& l : c.lines) lines.push_back({{"at", place(l.at)}, {"text", l.text}});
    out["lines"] = std::move(lines);
  }
  nlohmann::json diagnostics = nlohmann::json::array();
  for (const model::Diagnostic& d : c.diagnostics) diagnostics.push_back(model::toJson(d));
  out["diagnostics"] = std::move(diagnostics);
  return out;
}

}  // namespace tlslab::app
