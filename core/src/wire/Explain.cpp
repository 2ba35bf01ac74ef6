// The wire layer end to end for one pasted stream: framing -> reassembly ->
// parsing -> flow check, all tolerant (dissector policy: annotate and go on).
#include "tlslab/wire/Explain.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "tlslab/util/ByteWriter.hpp"
#include "tlslab/wire/Flow.hpp"
#include "tlslab/wire/Handshake.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {

ByteView ExplainUnit::rawOf(const model::Field& node) const {
  if (node.offset < base) return {};
  std::size_t start = node.offset - base;
  if (start > bytes.size()) return {};
  return ByteView(bytes).subspan(start, std::min(node.length, bytes.size() - start));
}

bool ExplainResult::hasErrors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const model::Diagnostic& d) { return d.severity == model::Severity::Error; });
}

namespace {

int flowKindOf(const HandshakeMessage& m) {
  if (const auto* sh = m.as<ServerHello>(); sh && sh->helloRetryRequest) return kFlowHelloRetryRequest;
  return m.type;
}

std::optional<Sender> senderOf(std::uint8_t type) {
  const HandshakeTypeInfo* info = handshakeTypeInfo(type);
  if (!info || info->sender == Sender::Either) return std::nullopt;  // Certificate, Finished, ...: either side
  return info->sender;
}

// Does a TLS 1.2 post-CCS handshake record look like plaintext after all?
// (A 1.3 client's second ClientHello follows its compatibility CCS.)
bool plausiblePlaintextHandshake(ByteView fragment) {
  if (fragment.size() < 4) return false;
  std::size_t len = (std::size_t{fragment[1]} << 16) | (std::size_t{fragment[2]} << 8) | fragment[3];
  return handshakeTypeName(fragment[0]) != nullptr && len + 4 <= fragment.size() + (1u << 14) &&
         (fragment[0] == 1 || len + 4 == fragment.size());
}

class Explainer {
 public:
  ExplainResult result;

  void record(const RecordView& r) {
    ExplainedRecord er;
    er.header.tree = describeRecordHeader(r);
    er.header.bytes.resize(r.headerLength + r.fragment.size());
    // Header bytes are not kept in RecordView; rebuild them from its fields.
    rebuildHeader(r, er.header.bytes);
    std::copy(r.fragment.begin(), r.fragment.end(), er.header.bytes.begin() + static_cast<std::ptrdiff_t>(r.headerLength));
    er.header.kind = "record";
    for (const auto& d : r.diagnostics) result.diagnostics.push_back(d);
    result.records.push_back(std::move(er));
    recordStreamOffsets_.push_back(r.streamOffset);
    recordHeaderLengths_.push_back(r.headerLength);
    // The "not TLS" tail, or a stream cut inside the 5-byte header: nothing to decode.
    if (!r.sslv2ClientHello && r.headerLength < kRecordHeaderLength) return;
    contents(r);
  }

  void finish() {
    std::vector<ReassembledMessage> out;
    reassembler_.finish(out);
    for (auto& m : out) message(std::move(m));
    if (!sawHandshake_) return;
    result.flowNotes.push_back(tracker_.describeNext());
  }

  void messageOnly(ByteView input) {
    std::size_t pos = 0;
    while (pos < input.size()) {
      ReassembledMessage m;
      std::size_t avail = input.size() - pos;
      std::size_t len = avail >= 4 ? 4 + ((std::size_t{input[pos + 1]} << 16) | (std::size_t{input[pos + 2]} << 8) |
                                          input[pos + 3])
                                   : avail;
      len = std::min(len, avail);
      m.type = input[pos];
      m.bytes.assign(input.begin() + static_cast<std::ptrdiff_t>(pos),
                     input.begin() + static_cast<std::ptrdiff_t>(pos + len));
      m.segments.push_back({0, pos, len});
      m.offsetInFirstRecord = pos;
      ExplainedRecord er;
      er.header.tree = model::Field{"input", pos, len, fmt::format("{} byte(s), no record header", len),
                                    "A bare handshake message (--message).", "RFC 8446 §4", false, {}, pos};
      er.header.bytes = m.bytes;
      er.header.base = pos;
      er.header.kind = "bare";
      result.records.push_back(std::move(er));
      recordStreamOffsets_.push_back(0);
      recordHeaderLengths_.push_back(0);
      m.firstRecord = result.records.size() - 1;
      message(std::move(m));
      pos += len;
    }
    if (sawHandshake_) result.flowNotes.push_back(tracker_.describeNext());
  }

 private:
  static void rebuildHeader(const RecordView& r, Bytes& out) {
    if (r.sslv2ClientHello) {
      if (out.size() < 2) return;
      ByteWriter h(2);
      h.u16(0x8000 | (r.fragment.size() & 0x7fff));
      std::memcpy(out.data(), h.view().data(), 2);
      return;
    }
    ByteWriter h(kRecordHeaderLength);
    h.u8(r.contentType).u16(r.version).u16(r.fragment.size());  // a framed fragment always fits
    std::size_t n = std::min<std::size_t>({r.headerLength, kRecordHeaderLength, out.size()});
    if (n > 0) std::memcpy(out.data(), h.view().data(), n);
  }

  void note(const RecordView& r, std::string name, std::string value, std::string meaning) {
    ExplainUnit u;
    u.kind = "note";
    u.tree = model::Field{std::move(name), r.headerLength, r.fragment.size(), std::move(value), std::move(meaning),
                          "RFC 8446 §5.2", false, {}, r.streamOffset + r.headerLength};
    result.records.back().contents.push_back(std::move(u));
  }

  void simple(const RecordView& r, model::Field tree, const char* kind, std::vector<model::Diagnostic>& diags) {
    ExplainUnit u;
    u.kind = kind;
    u.tree = std::move(tree);
    relocate(u.tree, 0, [&](std::size_t off) { return r.streamOffset + off; });
    u.bytes.assign(result.records.back().header.bytes.begin(), result.records.back().header.bytes.end());
    for (auto& d : diags) {
      if (d.offset) d.offset = r.streamOffset + *d.offset;
      result.diagnostics.push_back(d);
    }
    result.records.back().contents.push_back(std::move(u));
  }

  void contents(const RecordView& r) {
    std::vector<model::Diagnostic> diags;
    if (r.sslv2ClientHello) {
      simple(r, describeSslv2ClientHello(r, diags), "sslv2_client_hello", diags);
      return;
    }
    switch (static_cast<ContentType>(r.contentType)) {
      case ContentType::ChangeCipherSpec:
        simple(r, describeChangeCipherSpec(r.fragment, r.headerLength, diags), "change_cipher_spec", diags);
        ++epoch_;
        ccsSeen_ = true;
        observe(std::nullopt, kFlowChangeCipherSpec, r.streamOffset);
        return;
      case ContentType::Alert:
        if (encrypted()) return note(r, "encrypted_alert", "encrypted", "An alert sent under the new keys.");
        simple(r, describeAlert(r.fragment, r.headerLength, diags), "alert", diags);
        return;
      case ContentType::Heartbeat:
        simple(r, describeHeartbeat(r.fragment, r.headerLength, diags), "heartbeat", diags);
        return;
      case ContentType::Handshake:
        if (encrypted() && !plausiblePlaintextHandshake(r.fragment))
          return note(r, "encrypted_handshake_message", fmt::format("{} bytes", r.fragment.size()),
                      "A handshake message (normally Finished) encrypted after ChangeCipherSpec; keys are needed "
                      "to read it.");
        handshake(r);
        return;
      case ContentType::ApplicationData:
        return note(r, "encrypted_record", fmt::format("{} bytes", r.fragment.size()),
                    "Encrypted (TLS 1.2 data, or in TLS 1.3 any message after ServerHello: the real content type is "
                    "inside the encryption).");
      default:
        return note(r, "fragment", fmt::format("{} bytes", r.fragment.size()), "Not decoded.");
    }
  }

  bool encrypted() const { return ccsSeen_ && !(context_.version && *context_.version == 0x0304); }

  void handshake(const RecordView& r) {
    std::vector<ReassembledMessage> out;
    reassembler_.addRecord(r.fragment, r.streamOffset, r.headerLength, epoch_, out);
    for (auto& m : out) message(std::move(m));
  }

  void message(ReassembledMessage m) {
    HandshakeMessage parsed = parseHandshakeMessage(m.bytes, context_);
    updateContext(context_, parsed);
    if (const auto* sh = parsed.as<ServerHello>(); sh && !sh->helloRetryRequest)
      reassembler_.setTls13(sh->negotiatedVersion() == 0x0304);
    ExplainUnit u;
    u.kind = "handshake";
    u.tree = std::move(parsed.tree);
    std::size_t base = m.offsetInFirstRecord;
    relocate(u.tree, base, [&](std::size_t off) { return m.streamOffsetOf(off); });
    u.base = base;
    u.bytes = m.bytes;
    if (m.recordCount > 1)
      u.tree.value += fmt::format(" (reassembled from {} records)", m.recordCount);
    for (auto& d : m.diagnostics) result.diagnostics.push_back(d);
    for (auto& d : parsed.diagnostics) {
      if (d.offset) d.offset = m.streamOffsetOf(*d.offset);
      result.diagnostics.push_back(d);
    }
    if (!m.truncated) observe(senderOf(m.type), flowKindOf(parsed), m.streamOffsetOf(0));
    sawHandshake_ = true;
    std::size_t index = std::min(m.firstRecord, result.records.size() - 1);
    result.records[index].contents.push_back(std::move(u));
  }

  void observe(std::optional<Sender> from, int kind, std::size_t at) {
    FlowTracker::Verdict v = tracker_.observe(from, kind);
    if (v.expected) return;
    result.flowNotes.push_back(fmt::format("at offset {}: {}", at, v.message));
    result.diagnostics.push_back(model::Diagnostic{model::Severity::Warning, "handshake flow", at, v.message, model::DiagnosticCode::HandshakeFlow});
  }

  HandshakeReassembler reassembler_;
  ParseContext context_;
  FlowTracker tracker_;
  int epoch_ = 0;
  bool ccsSeen_ = false;
  bool sawHandshake_ = false;
  std::vector<std::size_t> recordStreamOffsets_;
  std::vector<std::size_t> recordHeaderLengths_;
};

}  // namespace

ExplainResult explainRecords(ByteView input) {
  Explainer e;
  RecordFramer framer;
  auto sink = [&](const RecordView& r) { e.record(r); };
  framer.feed(input, sink);
  framer.finish(sink);
  e.finish();
  return std::move(e.result);
}

ExplainResult explainMessages(ByteView input) {
  Explainer e;
  e.messageOnly(input);
  return std::move(e.result);
}

nlohmann::json toJson(const model::Field& field, const ExplainUnit& unit) {
  nlohmann::json j;
  j["name"] = field.name;
  j["offset"] = field.offset;
  j["length"] = field.length;
  if (field.streamOffset) j["stream_offset"] = *field.streamOffset;
  j["value"] = field.value;
  j["raw"] = toHex(unit.rawOf(field));
  if (!field.meaning.empty()) j["meaning"] = field.meaning.str();
  if (!field.rfc.empty()) j["rfc"] = field.rfc.str();
  if (field.malformed) j["malformed"] = true;
  if (!field.children.empty()) {
    nlohmann::json children = nlohmann::json::array();
    for (const auto& c : field.children) children.push_back(toJson(c, unit));
    j["children"] = std::move(children);
  }
  return j;
}

nlohmann::json toJson(const ExplainResult& result) {
  nlohmann::json j;
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : result.records) {
    nlohmann::json rec = toJson(r.header.tree, r.header);
    nlohmann::json contents = nlohmann::json::array();
    for (const auto& u : r.contents) {
      nlohmann::json c = toJson(u.tree, u);
      c["kind"] = u.kind;
      contents.push_back(std::move(c));
    }
    rec["contents"] = std::move(contents);
    records.push_back(std::move(rec));
  }
  j["records"] = std::move(records);
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : result.diagnostics) {
    nlohmann::json dj;
    dj["severity"] = model::severityName(d.severity);
    dj["where"] = d.where;
    if (d.offset) dj["offset"] = *d.offset;
    dj["message"] = d.message;
    diags.push_back(std::move(dj));
  }
  j["diagnostics"] = std::move(diags);
  j["flow"] = result.flowNotes;
  return j;
}

namespace {

void textNode(std::string& out, const model::Field& f, const ExplainUnit& unit, int depth, bool meanings) {
  std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  std::string where = f.streamOffset ? fmt::format("[{:>4} @{:>5}]", f.offset, *f.streamOffset)
                                     : fmt::format("[{:>4}       ]", f.offset);
  ByteView raw = unit.rawOf(f);
  std::string rawText;
  if (!raw.empty() && f.children.empty()) {
    rawText = raw.size() <= 16 ? toHex(raw, " ") : toHex(raw.first(16), " ") + " …";
  }
  out += fmt::format("{} {}{}{}: {}{}", where, indent, f.malformed ? "!! " : "", f.name, f.value,
                     rawText.empty() ? "" : "   [" + rawText + "]");
  out += fmt::format("  ({} byte{})\n", f.length, f.length == 1 ? "" : "s");
  if (meanings && !f.meaning.empty())
    out += fmt::format("{}   {}  # {}{}\n", std::string(13, ' '), indent, f.meaning,
                       f.rfc.empty() ? "" : " [" + f.rfc + "]");
  for (const auto& c : f.children) textNode(out, c, unit, depth + 1, meanings);
}

}  // namespace

std::string toText(const ExplainResult& result, bool withMeanings) {
  std::string out = "[offset in record @ offset in input]\n";
  for (const auto& r : result.records) {
    textNode(out, r.header.tree, r.header, 0, withMeanings);
    for (const auto& u : r.contents) textNode(out, u.tree, u, 1, withMeanings);
    out += "\n";
  }
  for (const auto& note : result.flowNotes) out += "flow: " + note + "\n";
  for (const auto& d : result.diagnostics) {
    out += fmt::format("{}: {}{}: {}\n", model::severityName(d.severity), d.where,
                       d.offset ? fmt::format(" at offset {}", *d.offset) : "", d.message);
  }
  return out;
}

}  // namespace tlslab::wire
