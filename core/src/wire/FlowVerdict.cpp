#include "tlslab/wire/FlowVerdict.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlslab/wire/ExtensionTypes.hpp"

namespace tlslab::wire {
namespace {

int flowKindOf(const HandshakeMessage& m) {
  if (const auto* sh = m.as<ServerHello>(); sh && sh->helloRetryRequest) return kFlowHelloRetryRequest;
  return m.type;
}

std::string extensionLabel(std::uint16_t type) {
  const char* name = extensionName(type);
  return name ? name : fmt::format("extension 0x{:04x}", type);
}

// RFC 8446 §4.2 / RFC 5246 §7.4.1.4: at most one extension of each type in a block.
void judgeDuplicates(const std::vector<Extension>& block, const std::string& where, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < block.size(); ++i) {
    const auto first = std::find_if(block.begin(), block.end(),
                                    [&](const Extension& e) { return e.type == block[i].type; });
    if (static_cast<std::size_t>(first - block.begin()) != i) continue;  // reported at its first copy
    const auto copies = std::count_if(block.begin(), block.end(), [&](const Extension& e) { return e.type == block[i].type; });
    if (copies > 1)
      out.push_back(fmt::format("{} appears {} times in {}; an extension block holds at most one of each type "
                                "(RFC 8446 §4.2)",
                                extensionLabel(block[i].type), copies, where));
  }
}

// RFC 8446 §4.2: a recognised extension in a message its table row does not
// list is an illegal_parameter. ClientHello is not judged: a client may offer
// TLS 1.2 extensions alongside TLS 1.3.
void judgeAllowed(const std::vector<Extension>& block, std::uint8_t bit, const std::string& where,
                  std::vector<std::string>& out) {
  for (const Extension& e : block) {
    const ExtensionTypeInfo* info = extensionTypeInfo(e.type);
    if (!info || info->tls13 == in13::Unchecked || (info->tls13 & bit)) continue;
    out.push_back(fmt::format("{} is not allowed in {}{} (RFC 8446 §4.2: the peer must answer illegal_parameter)",
                              info->iana, where, info->tls13 == in13::Tls12Only ? ": it is a TLS 1.2 extension" : ""));
  }
}

struct Block {
  const std::vector<Extension>* extensions;
  std::uint8_t bit;  // in13 bit; 0 when only duplicates are judged
  std::string where;
};

std::vector<Block> blocksOf(const HandshakeMessage& m, bool tls13) {
  std::vector<Block> blocks;
  if (const auto* ch = m.as<ClientHello>()) {
    blocks.push_back({&ch->extensions, 0, "ClientHello"});
  } else if (const auto* sh = m.as<ServerHello>()) {
    if (sh->helloRetryRequest) blocks.push_back({&sh->extensions, in13::HRR, "HelloRetryRequest"});
    else blocks.push_back({&sh->extensions, sh->negotiatedVersion() == 0x0304 ? in13::SH : std::uint8_t{0}, "ServerHello"});
  } else if (const auto* ee = m.as<EncryptedExtensions>()) {
    blocks.push_back({&ee->extensions, in13::EE, "EncryptedExtensions"});
  } else if (const auto* cr = m.as<CertificateRequest>(); cr && cr->tls13) {
    blocks.push_back({&cr->extensions, in13::CR, "CertificateRequest"});
  } else if (const auto* nst = m.as<NewSessionTicket>(); nst && nst->tls13) {
    blocks.push_back({&nst->extensions, in13::NST, "NewSessionTicket"});
  } else if (const auto* cert = m.as<Certificate>(); cert && cert->tls13) {
    for (std::size_t i = 0; i < cert->entries.size(); ++i)
      blocks.push_back({&cert->entries[i].extensions, in13::CT, fmt::format("Certificate entry {}", i)});
  }
  if (!tls13)
    for (Block& b : blocks) b.bit = 0;
  return blocks;
}

// Which TLS 1.2 full handshake a suite's key exchange allows (RFC 5246
// §7.3, RFC 4279 §2); abbreviated handshakes and TLS 1.3 are kept.
bool fitsKeyExchange(const Flow& f, KeyExchange kx) {
  switch (f.id) {
    case FlowId::Tls12FullRsa: return kx == KeyExchange::Rsa;
    case FlowId::Tls12FullEcdhe: return kx == KeyExchange::Ecdhe;
    case FlowId::Tls12FullDhe: return kx == KeyExchange::Dhe;
    case FlowId::Tls12ClientAuth: return kx == KeyExchange::Rsa || kx == KeyExchange::Ecdhe || kx == KeyExchange::Dhe;
    case FlowId::Tls12Psk: return isPskExchange(kx);
    default: return true;
  }
}

}  // namespace

std::string FlowJudge::judgeOrder(Sender from, const HandshakeMessage& message, bool afterGap) {
  // A server may send HelloRequest at any time (RFC 5246 §7.4.1.1); it is in no flow.
  if (message.type == static_cast<std::uint8_t>(HandshakeType::HelloRequest)) return {};
  const int kind = flowKindOf(message);
  // A TLS 1.2 ClientHello after a finished handshake renegotiates: a new flow.
  const bool renegotiation = kind == static_cast<int>(HandshakeType::ClientHello) && seen_ && !tls13_ &&
                             tracker_.nextExpected().empty();
  if (afterGap || renegotiation) tracker_ = FlowTracker();  // joins at this message
  // The ChangeCipherSpec before a TLS 1.2 Finished is a record, not a
  // message: the Finished being readable implies it.
  if (kind == static_cast<int>(HandshakeType::Finished) && seen_ && !afterGap)
    tracker_.observe(from, kFlowChangeCipherSpec);
  seen_ = true;
  FlowTracker::Verdict v = tracker_.observe(from, kind);
  if (const auto* sh = message.as<ServerHello>(); v.expected && sh && !sh->helloRetryRequest) {
    const KeyExchange kx = keyExchangeOf(sh->cipherSuite);
    if (kx != KeyExchange::Unknown) tracker_.keepOnly([kx](const Flow& f) { return fitsKeyExchange(f, kx); });
  }
  return v.expected ? std::string() : v.message;
}

std::vector<std::string> FlowJudge::judge(Sender from, const HandshakeMessage& message, bool afterGap) {
  std::vector<std::string> out;
  if (const auto* sh = message.as<ServerHello>(); sh && !sh->helloRetryRequest) tls13_ = sh->negotiatedVersion() == 0x0304;
  if (std::string order = judgeOrder(from, message, afterGap); !order.empty()) out.push_back(std::move(order));
  const bool helloRetry = message.as<ServerHello>() && message.as<ServerHello>()->helloRetryRequest;
  for (const Block& b : blocksOf(message, tls13_ || helloRetry)) {
    judgeDuplicates(*b.extensions, b.where, out);
    if (b.bit) judgeAllowed(*b.extensions, b.bit, b.where, out);
  }
  return out;
}

}  // namespace tlslab::wire
