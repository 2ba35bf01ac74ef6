#include "tlslab/model/TraceJson.hpp"


#include <ostream>
#include <string_view>

namespace tlslab::model {
namespace {

using nlohmann::json;

std::string hex(const Bytes& bytes) { return toHex(bytes); }

const char* directionName(Direction d) {
  return d == Direction::ClientToServer ? "client->server" : "server->client";
}

json verifyStep(const VerifyStep& s) {
  return {{"depth", s.depth},         {"subject", s.subject},     {"issuer", s.issuer},
          {"notBefore", s.notBefore}, {"notAfter", s.notAfter},   {"ok", s.ok},
          {"errorCode", s.errorCode}, {"errorName", s.errorName}, {"errorText", s.errorText}};
}

template <typename T>
json array(const std::vector<T>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(toJson(item));
  return out;
}

}  // namespace

json toJson(const Field& f) {
  json out = {{"name", f.name}, {"offset", f.offset}, {"length", f.length}, {"value", f.value}};
  if (!f.meaning.empty()) out["meaning"] = f.meaning.str();
  if (!f.rfc.empty()) out["rfc"] = f.rfc.str();
  if (f.malformed) out["malformed"] = true;
  if (f.streamOffset) out["streamOffset"] = *f.streamOffset;
  if (!f.children.empty()) out["children"] = array(f.children);
  return out;
}

json toJson(const DerivationStep& s) {
  json inputs = json::array();
  for (const auto& in : s.inputs) inputs.push_back({{"label", in.label}, {"bytes", hex(in.bytes)}});
  json out = {{"name", s.name},     {"function", s.function},           {"inputs", inputs},
              {"output", hex(s.output)}, {"rfc", s.rfc}, {"status", stepStatusName(s.status)}, {"note", s.note},
              {"command", s.command}};
  if (s.node != ScheduleNode::None) out["node"] = scheduleNodeName(s.node);
  if (!s.keyLogLine.empty()) out["keyLogLine"] = s.keyLogLine;
  if (!s.messages.empty()) out["messages"] = s.messages;
  if (!s.records.empty()) out["records"] = s.records;
  return out;
}

json toJson(const Diagnostic& d) {
  json out = {{"severity", severityName(d.severity)},
              {"code", diagnosticCodeName(d.code)},
              {"where", d.where},
              {"message", d.message}};
  if (d.offset) out["offset"] = *d.offset;
  return out;
}

json toJson(const RecordCrypto& c) {
  json nonce = json::array();
  for (const auto& p : c.nonceParts) nonce.push_back({{"label", p.label}, {"bytes", hex(p.bytes)}});
  return {{"cipher", c.cipher},
          {"construction", c.construction},
          {"rfc", c.rfc},
          {"sequence", c.sequence},
          {"header", hex(c.header)},
          {"nonceParts", nonce},
          {"nonce", hex(c.nonce)},
          {"aad", hex(c.aad)},
          {"ciphertextLength", c.ciphertext.size()},
          {"tag", hex(c.tag)},
          {"mac", hex(c.mac)},
          {"expectedMac", hex(c.expectedMac)},
          {"padding", hex(c.padding)},
          {"contentType", c.contentType},
          {"verdict", recordVerdictName(c.verdict)},
          {"note", c.note}};
}

json toJson(const VerifyVerdict& v) {
  json steps = json::array(), events = json::array();
  for (const auto& s : v.steps) steps.push_back(verifyStep(s));
  for (const auto& s : v.events) events.push_back(verifyStep(s));
  return {{"ok", v.ok},           {"errorCode", v.errorCode},   {"errorName", v.errorName}, {"errorText", v.errorText},
          {"errorDepth", v.errorDepth}, {"steps", steps}, {"events", events}};
}

// DTLS (issue 18): only DTLS records and connections have the key, so TLS JSON is unchanged.
static json dtlsRecordJson(const DtlsRecordInfo& d) {
  return {{"epoch", d.epoch}, {"sequence", d.sequence}, {"datagram", d.datagram}, {"flight", d.flight},
          {"resent", d.resent}};
}

static json dtlsJson(const DtlsInfo& d) {
  return {{"version", d.version},
          {"versionName", d.versionName},
          {"datagrams", d.datagrams},
          {"flights", d.flights},
          {"resentRecords", d.resentRecords},
          {"resentFragments", {d.resentFragments[0], d.resentFragments[1]}},
          {"cookieExchange", d.cookieExchange},
          {"cookie", hex(d.cookie)}};
}

json toJson(const TraceRecord& r) {
  json out = {{"index", r.index},
                  {"direction", directionName(r.direction)},
              {"time", r.time},
              {"frame", r.frame},
              {"contentType", r.contentType},
              {"version", r.version},
              {"streamOffset", r.streamOffset},
              {"wire", hex(r.wire)},
              {"header", toJson(r.header)},
              {"encrypted", r.encrypted},
              {"keyPhase", r.keyPhase.name()},
              {"innerContentType", r.innerContentType},
              {"plaintext", hex(r.plaintext)},
              {"undecryptedReason", r.undecryptedReason},
              {"messages", r.messages}};
  if (r.crypto) out["crypto"] = toJson(*r.crypto);
  if (r.dtls) out["dtls"] = dtlsRecordJson(*r.dtls);
  return out;
}

json toJson(const TraceMessage& m) {
  json out = {{"name", m.name},
              {"handshakeType", m.handshakeType},
              {"direction", directionName(m.direction)},
              {"firstRecord", m.firstRecord},
              {"lastRecord", m.lastRecord},
              {"bytes", hex(m.bytes)},
              {"tree", toJson(m.tree)},
              {"encrypted", m.encrypted},
              {"diagnostics", array(m.diagnostics)}};
  // Only when there is something to report, so well-formed traces read as before.
  if (!m.flowVerdicts.empty()) out["flowVerdicts"] = m.flowVerdicts;
  return out;
}

namespace {

// The bytes are the record's "plaintext": written once (DESIGN.md).
json appDataJson(const AppDataChunk& chunk) {
  return {{"direction", directionName(chunk.direction)},
          {"record", chunk.record},
          {"length", chunk.data.size() + chunk.omitted}};
}

// Everything but the three arrays that grow with the capture (records,
// messages, appData), which stay empty: writeJson fills them one element at
// a time, toJson all at once.
// QUIC (issue 19): only QUIC connections have the key, so TLS-over-TCP JSON is unchanged.
json quicJson(const QuicInfo& q) {
  json packets = json::array();
  for (const auto& p : q.packets) {
    json frames = json::array();
    for (const auto& f : p.frames) {
      json jf = {{"type", f.type}, {"name", f.name}, {"offset", f.offset}, {"length", f.length}, {"summary", f.summary}};
      if (f.streamId) jf["streamId"] = *f.streamId;
      frames.push_back(std::move(jf));
    }
    json jp = {{"index", p.index},
               {"direction", directionName(p.direction)},
               {"time", p.time},
               {"frame", p.frame},
               {"datagram", p.datagram},
               {"offsetInDatagram", p.offsetInDatagram},
               {"length", p.length},
               {"type", p.type},
               {"version", p.version},
               {"dcid", hex(p.dcid)},
               {"scid", hex(p.scid)},
               {"token", hex(p.token)},
               {"packetNumber", p.packetNumber ? json(*p.packetNumber) : json(nullptr)},
               {"keyPhase", p.keyPhase},
               {"decrypted", p.decrypted},
               {"undecryptedReason", p.undecryptedReason},
               {"frames", frames},
               {"messages", p.messages},
               {"supportedVersions", p.supportedVersions},
               {"note", p.note},
               {"diagnostics", array(p.diagnostics)}};
    if (p.crypto) {
      jp["crypto"] = {{"keys", p.crypto->keys},  {"sample", hex(p.crypto->sample)}, {"mask", hex(p.crypto->mask)},
                      {"nonce", hex(p.crypto->nonce)}, {"aad", hex(p.crypto->aad)}, {"tag", hex(p.crypto->tag)}};
    }
    packets.push_back(std::move(jp));
  }
  json streams = json::array();
  for (const auto& s : q.streams) {
    streams.push_back({{"id", s.id}, {"direction", directionName(s.direction)}, {"data", hex(s.data)},
                       {"length", s.data.size()}, {"fin", s.fin}, {"frames", s.frames}});
  }
  return {{"version", q.version},       {"versionName", q.versionName},     {"originalDcid", hex(q.originalDcid)},
          {"retry", q.retry},           {"datagrams", q.datagrams},         {"packetCount", q.packetCount},
          {"oneRttDecrypted", q.oneRttDecrypted}, {"packets", packets},     {"streams", streams}};
}

json summaryJson(const TraceConnection& c) {
  const Negotiated& n = c.negotiated;
  json negotiated = {{"version", n.version},   {"suite", n.suite}, {"suiteName", n.suiteName},
                     {"group", n.group},       {"alpn", n.alpn},   {"sni", n.sni},
                     {"resumption", resumptionName(n.resumption)}, {"extendedMasterSecret", n.extendedMasterSecret},
                     {"earlyData", n.earlyData}};
  negotiated["resumedFrom"] = n.resumedFrom ? json(*n.resumedFrom) : json(nullptr);
  json serverCerts = json::array(), clientCerts = json::array();
  for (const auto& der : c.serverCertificates) serverCerts.push_back(hex(der));
  for (const auto& der : c.clientCertificates) clientCerts.push_back(hex(der));
  json out = {{"index", c.index},
              {"client", c.client},
              {"server", c.server},
              {"clientLabel", c.clientLabel},
              {"serverLabel", c.serverLabel},
              {"startTime", c.startTime},
              {"duration", c.duration},
              {"startTlsProtocol", c.startTlsProtocol},
              {"preamble", {hex(c.preamble[0]), hex(c.preamble[1])}},
              {"negotiated", negotiated},
              {"records", json::array()},
              {"messages", json::array()},
              {"appData", json::array()},
              {"derivation", array(c.derivation)},
              {"serverCertificates", serverCerts},
              {"clientCertificates", clientCerts},
              {"clientRandom", hex(c.clientRandom)},
              {"serverRandom", hex(c.serverRandom)},
              {"keyLog", c.keyLog},
              {"decryption", c.decryption.text},
              {"state", c.state.text},
              {"diagnostics", array(c.diagnostics)}};
  out["serverVerification"] = c.serverVerification ? toJson(*c.serverVerification) : json(nullptr);
  out["clientVerification"] = c.clientVerification ? toJson(*c.clientVerification) : json(nullptr);
  if (c.quic) out["quic"] = quicJson(*c.quic);
  if (c.dtls) out["dtls"] = dtlsJson(*c.dtls);
  return out;
}

// Writes JSON text exactly as json::dump(indent) does, started `depth`
// levels deep, so pieces written one after another read as one dump() of the
// whole. Objects, arrays and strings that need no escaping (hex, names: most
// of a Trace) are written here; the rest goes through nlohmann's own
// serializer, whose per-character escaping of every hex string was most of
// the time `--json` took.
class Pieces {
 public:
  Pieces(std::ostream& out, int indent)
      : out_(out),
        pretty_(indent >= 0),
        step_(indent >= 0 ? unsigned(indent) : 0u),
        serializer_(nlohmann::detail::output_adapter<char, std::string>(buffer_), ' ', json::error_handler_t::replace) {}
  void value(const json& value, unsigned depth) {
    emit(value, depth);
    if (buffer_.size() >= (std::size_t{1} << 16)) flush();
  }
  void text(std::string_view text) { buffer_ += text; }
  void newline(unsigned depth) {  // what dump() writes between elements
    if (!pretty_) return;
    buffer_ += '\n';
    buffer_.append(depth * step_, ' ');
  }
  const char* colon() const { return pretty_ ? "\": " : "\":"; }
  // Bytes as a JSON string of lower-case hex, straight into the buffer: the
  // bulk of a capture's JSON, so no string is built for it first.
  void hex(ByteView bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    buffer_ += '"';
    const std::size_t at = buffer_.size();
    buffer_.resize(at + 2 * bytes.size());
    char* p = buffer_.data() + at;
    for (std::uint8_t b : bytes) {
      *p++ = digits[b >> 4];
      *p++ = digits[b & 0x0f];
    }
    buffer_ += '"';
    if (buffer_.size() >= (std::size_t{1} << 16)) flush();
  }
  // `"name": ` after what separates it from the key before, at `depth`.
  void key(bool first, unsigned depth, std::string_view name) {
    if (!first) buffer_ += ',';
    newline(depth);
    buffer_ += '"';
    buffer_ += name;
    buffer_ += colon();
  }
  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  // Printable ASCII but '"' and '\\': dump() writes such a string as it is.
  static bool plain(const std::string& s) {
    bool bad = false;  // no early exit: the loop vectorises, and most strings are plain
    for (char c : s) bad |= (c < 0x20) | (c > 0x7e) | (c == '"') | (c == '\\');
    return !bad;
  }
  void string(const std::string& s) {
    if (!plain(s)) {
      serializer_.dump(json(s), pretty_, false, step_, 0);
      return;
    }
    buffer_ += '"';
    buffer_ += s;
    buffer_ += '"';
  }
  void emit(const json& v, unsigned depth) {
    if (v.is_object() && !v.empty()) {
      buffer_ += '{';
      bool first = true;
      for (const auto& [key, child] : v.items()) {
        if (!first) buffer_ += ',';
        first = false;
        newline(depth + 1);
        string(key);
        buffer_ += pretty_ ? ": " : ":";
        emit(child, depth + 1);
      }
      newline(depth);
      buffer_ += '}';
    } else if (v.is_array() && !v.empty()) {
      buffer_ += '[';
      bool first = true;
      for (const auto& child : v) {
        if (!first) buffer_ += ',';
        first = false;
        newline(depth + 1);
        emit(child, depth + 1);
      }
      newline(depth);
      buffer_ += ']';
    } else if (v.is_string()) {
      string(v.get_ref<const std::string&>());
    } else {
      serializer_.dump(v, pretty_, false, step_, depth * step_);  // numbers, true/false/null, {} and []
    }
  }

  std::ostream& out_;
  bool pretty_;
  unsigned step_;
  std::string buffer_;
  nlohmann::detail::serializer<json> serializer_;  // appends to buffer_
};

// A record exactly as dump() writes toJson(record) (its keys in std::map
// order), with the two byte strings that grow with the capture hexed in place.
void writeRecord(Pieces& w, const TraceRecord& r, unsigned depth) {
  const unsigned in = depth + 1;
  w.text("{");
  w.key(true, in, "contentType");
  w.value(r.contentType, in);
  if (r.crypto) {
    w.key(false, in, "crypto");
    w.value(toJson(*r.crypto), in);
  }
  w.key(false, in, "direction");
  w.value(directionName(r.direction), in);
  if (r.dtls) {
    w.key(false, in, "dtls");
    w.value(dtlsRecordJson(*r.dtls), in);
  }
  w.key(false, in, "encrypted");
  w.value(r.encrypted, in);
  w.key(false, in, "frame");
  w.value(r.frame, in);
  w.key(false, in, "header");
  w.value(toJson(r.header), in);
  w.key(false, in, "index");
  w.value(r.index, in);
  w.key(false, in, "innerContentType");
  w.value(r.innerContentType, in);
  w.key(false, in, "keyPhase");
  w.value(r.keyPhase.name(), in);
  w.key(false, in, "messages");
  w.value(r.messages, in);
  w.key(false, in, "plaintext");
  w.hex(r.plaintext);
  w.key(false, in, "streamOffset");
  w.value(r.streamOffset, in);
  w.key(false, in, "time");
  w.value(r.time, in);
  w.key(false, in, "undecryptedReason");
  w.value(r.undecryptedReason, in);
  w.key(false, in, "version");
  w.value(r.version, in);
  w.key(false, in, "wire");
  w.hex(r.wire);
  w.newline(depth);
  w.text("}");
}

template <typename T, typename Write>
void writeEach(Pieces& w, const std::vector<T>& items, unsigned depth, const Write& write) {
  if (items.empty()) {
    w.text("[]");
    return;
  }
  w.text("[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.text(",");
    w.newline(depth + 1);
    write(items[i], depth + 1);
  }
  w.newline(depth);
  w.text("]");
}

template <typename T, typename ToJson>
void writeArray(Pieces& w, const std::vector<T>& items, unsigned depth, const ToJson& toJsonOf) {
  writeEach(w, items, depth, [&](const T& item, unsigned at) { w.value(toJsonOf(item), at); });
}

void writeConnection(Pieces& w, const TraceConnection& c, unsigned depth) {
  const json summary = summaryJson(c);  // an object: its keys in the order dump() writes them
  w.text("{");
  bool first = true;
  for (const auto& [key, value] : summary.items()) {
    if (!first) w.text(",");
    first = false;
    w.newline(depth + 1);
    w.text("\"");
    w.text(key);  // the model's own names: nothing to escape
    w.text(w.colon());
    if (key == "records") {
      writeEach(w, c.records, depth + 1, [&w](const TraceRecord& r, unsigned at) { writeRecord(w, r, at); });
    } else if (key == "messages") {
      writeArray(w, c.messages, depth + 1, [](const TraceMessage& m) { return toJson(m); });
    } else if (key == "appData") {
      writeArray(w, c.appData, depth + 1, appDataJson);
    } else {
      w.value(value, depth + 1);
    }
  }
  w.newline(depth);
  w.text("}");
}

}  // namespace

json toJson(const TraceConnection& c) {
  json out = summaryJson(c);
  out["records"] = array(c.records);
  out["messages"] = array(c.messages);
  json& appData = out["appData"];
  for (const auto& chunk : c.appData) appData.push_back(appDataJson(chunk));
  return out;
}

void writeJson(std::ostream& out, const TraceConnection& connection, int indent, unsigned depth) {
  Pieces w(out, indent);
  writeConnection(w, connection, depth);
  w.flush();
}

TraceJsonWriter::TraceJsonWriter(std::ostream& out, int indent) : out_(out), indent_(indent) {}

// toJson(Trace)'s keys in dump() order: "connections", "diagnostics", "source".
void TraceJsonWriter::connection(const TraceConnection& connection) {
  beginConnection();
  render(out_, connection);
}

void TraceJsonWriter::render(std::ostream& out, const TraceConnection& connection) const {
  Pieces w(out, indent_);
  writeConnection(w, connection, 2);
  w.flush();
}

void TraceJsonWriter::beginConnection() {
  Pieces w(out_, indent_);
  w.text(connections_ == 0 ? "{" : ",");
  if (connections_ == 0) {
    w.newline(1);
    w.text("\"connections");
    w.text(w.colon());
    w.text("[");
  }
  w.newline(2);
  w.flush();
  ++connections_;
}

void TraceJsonWriter::finish(const std::string& source, const std::vector<Diagnostic>& diagnostics) {
  Pieces w(out_, indent_);
  if (connections_ == 0) {
    w.text("{");
    w.newline(1);
    w.text("\"connections");
    w.text(w.colon());
    w.text("[]");
  } else {
    w.newline(1);
    w.text("]");
  }
  w.text(",");
  w.newline(1);
  w.text("\"diagnostics");
  w.text(w.colon());
  w.value(array(diagnostics), 1);
  w.text(",");
  w.newline(1);
  w.text("\"source");
  w.text(w.colon());
  w.value(json(source), 1);
  w.newline(0);
  w.text("}");
  w.flush();
}

std::string toJsonText(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string toJsonText(const Trace& trace, int indent) { return toJsonText(toJson(trace), indent); }

json toJson(const Trace& t) {
  return {{"source", t.source}, {"connections", array(t.connections)}, {"diagnostics", array(t.diagnostics)}};
}

}  // namespace tlslab::model
