#include "tlslab/wire/Flow.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {

std::string flowKindName(int kind) {
  if (kind == kFlowHelloRetryRequest) return "HelloRetryRequest";
  if (kind == kFlowChangeCipherSpec) return "ChangeCipherSpec";
  return handshakeTypeLabel(static_cast<std::uint8_t>(kind));
}

namespace {

using S = Sender;
constexpr int CH = 1, SH = 2, NST = 4, EOED = 5, EE = 8, CERT = 11, SKE = 12, CR = 13, SHD = 14, CV = 15, CKE = 16,
              FIN = 20, CS = 22, KU = 24, HRR = kFlowHelloRetryRequest, CCS = kFlowChangeCipherSpec;

FlowStep req(S s, int k, const char* note = "") { return {s, k, false, false, note}; }
FlowStep opt(S s, int k, const char* note = "") { return {s, k, true, false, note}; }
FlowStep any(S s, int k, const char* note = "") { return {s, k, true, true, note}; }

std::vector<FlowStep> cat(std::vector<FlowStep> a, const std::vector<FlowStep>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// TLS 1.2 ending: client's CCS+Finished, then the server's (RFC 5246 §7.3).
const std::vector<FlowStep> kTls12Finish = {
    req(S::Client, CCS, "the client switches to the new keys"),
    req(S::Client, FIN, "encrypted; proves the client saw the same handshake"),
    opt(S::Server, NST, "a ticket for later resumption (RFC 5077)"),
    req(S::Server, CCS, "the server switches to the new keys"),
    req(S::Server, FIN, "encrypted; proves the server saw the same handshake"),
};

const std::vector<FlowStep> kTls13Post = {
    any(S::Server, NST, "post-handshake: tickets for resumption (RFC 8446 §4.6.1)"),
    any(S::Either, KU, "post-handshake: switch to fresh traffic keys (RFC 8446 §4.6.3)"),
};

std::vector<Flow> buildFlows() {
  std::vector<FlowStep> serverCert12 = {req(S::Server, CERT, "the server's certificate chain"),
                                        opt(S::Server, CS, "a stapled OCSP response, if requested")};
  std::vector<FlowStep> server13 = {req(S::Server, EE, "first encrypted message: the server's other extensions")};
  std::vector<FlowStep> serverAuth13 = {req(S::Server, CERT, "the server's certificate chain (encrypted)"),
                                        req(S::Server, CV, "signature over the transcript with the certificate key"),
                                        req(S::Server, FIN, "MAC over the transcript")};
  // RFC 8446 §4.6.1: a server that asks for no client certificate may send
  // tickets right after its Finished, before the client's arrives.
  const FlowStep earlyTicket = any(S::Server, NST, "a ticket sent before the client's Finished (RFC 8446 §4.6.1)");
  std::vector<Flow> f;
  f.push_back({FlowId::Tls12FullRsa, "TLS 1.2 full handshake, RSA key transport", "RFC 5246 §7.3", false,
               cat(cat({req(S::Client, CH), req(S::Server, SH)}, serverCert12),
                   cat({req(S::Server, SHD), req(S::Client, CKE, "the pre-master secret, encrypted to the server's "
                                                                 "RSA key")},
                       kTls12Finish))});
  f.push_back({FlowId::Tls12FullEcdhe, "TLS 1.2 full handshake, ECDHE", "RFC 5246 §7.3, RFC 8422", false,
               cat(cat({req(S::Client, CH), req(S::Server, SH)}, serverCert12),
                   cat({req(S::Server, SKE, "the server's signed ephemeral ECDH key"), req(S::Server, SHD),
                        req(S::Client, CKE, "the client's ephemeral ECDH key")},
                       kTls12Finish))});
  f.push_back({FlowId::Tls12FullDhe, "TLS 1.2 full handshake, DHE", "RFC 5246 §7.3", false,
               cat(cat({req(S::Client, CH), req(S::Server, SH)}, serverCert12),
                   cat({req(S::Server, SKE, "the server's signed DH group and public value"), req(S::Server, SHD),
                        req(S::Client, CKE, "the client's DH public value")},
                       kTls12Finish))});
  f.push_back({FlowId::Tls12ClientAuth, "TLS 1.2 full handshake with client certificate", "RFC 5246 §7.3", false,
               cat(cat({req(S::Client, CH), req(S::Server, SH)}, serverCert12),
                   cat({opt(S::Server, SKE, "for (EC)DHE suites"), req(S::Server, CR, "asks for a client certificate"),
                        req(S::Server, SHD), req(S::Client, CERT, "the client's certificate chain (may be empty)"),
                        req(S::Client, CKE), opt(S::Client, CV, "proves the client owns its certificate")},
                       kTls12Finish))});
  f.push_back({FlowId::Tls12Psk, "TLS 1.2 pre-shared key (PSK, DHE_PSK, ECDHE_PSK)", "RFC 4279 §2, RFC 5489", false,
               cat({req(S::Client, CH), req(S::Server, SH),
                    opt(S::Server, CERT, "RSA_PSK only: the server's certificate chain"),
                    opt(S::Server, SKE, "a PSK identity hint, and the (EC)DHE share for (EC)DHE_PSK"),
                    req(S::Server, SHD), req(S::Client, CKE, "the PSK identity (and the client's (EC)DHE share)")},
                   kTls12Finish)});
  f.push_back({FlowId::Tls12ResumeSessionId, "TLS 1.2 abbreviated handshake (session ID)", "RFC 5246 §7.3", false,
               {req(S::Client, CH, "offers the old session id"), req(S::Server, SH, "echoes it: resumption accepted"),
                req(S::Server, CCS), req(S::Server, FIN), req(S::Client, CCS), req(S::Client, FIN)}});
  f.push_back({FlowId::Tls12ResumeTicket, "TLS 1.2 abbreviated handshake (session ticket)", "RFC 5077 §3.1", false,
               {req(S::Client, CH, "carries the ticket in session_ticket"), req(S::Server, SH),
                opt(S::Server, NST, "a fresh ticket"), req(S::Server, CCS), req(S::Server, FIN), req(S::Client, CCS),
                req(S::Client, FIN)}});
  f.push_back({FlowId::Tls13OneRtt, "TLS 1.3 full handshake (1-RTT)", "RFC 8446 §2", true,
               cat(cat(cat({req(S::Client, CH, "with key_share"), req(S::Server, SH, "with the server's key_share")},
                           server13),
                       cat(serverAuth13, {earlyTicket, req(S::Client, FIN)})),
                   kTls13Post)});
  f.push_back({FlowId::Tls13HelloRetryRequest, "TLS 1.3 with HelloRetryRequest", "RFC 8446 §2.1", true,
               cat(cat(cat({req(S::Client, CH), req(S::Server, HRR, "asks for a key share in another group"),
                            req(S::Client, CH, "second ClientHello with the requested key share"),
                            req(S::Server, SH)},
                           server13),
                       cat(serverAuth13, {earlyTicket, req(S::Client, FIN)})),
                   kTls13Post)});
  f.push_back({FlowId::Tls13PskResumption, "TLS 1.3 PSK resumption (optionally with 0-RTT)", "RFC 8446 §2.2-2.3",
               true,
               cat(cat({req(S::Client, CH, "with pre_shared_key (a ticket)"),
                        req(S::Server, SH, "selects the PSK"), req(S::Server, EE),
                        req(S::Server, FIN, "no certificate: the PSK authenticates"), earlyTicket,
                        opt(S::Client, EOED, "ends 0-RTT data if early_data was accepted"), req(S::Client, FIN)},
                       {}),
                   kTls13Post)});
  f.push_back({FlowId::Tls13ClientAuth, "TLS 1.3 with client certificate", "RFC 8446 §2, §4.3.2", true,
               cat(cat(cat({req(S::Client, CH), req(S::Server, SH)}, server13),
                       cat({req(S::Server, CR, "asks for a client certificate")},
                           cat(serverAuth13, {req(S::Client, CERT, "may be empty"),
                                              opt(S::Client, CV, "absent when the Certificate is empty"),
                                              req(S::Client, FIN)}))),
                   kTls13Post)});
  f.push_back({FlowId::Tls13PostHandshakeAuth, "TLS 1.3 post-handshake client authentication", "RFC 8446 §4.6.2",
               true,
               cat(cat(cat({req(S::Client, CH, "with post_handshake_auth"), req(S::Server, SH)}, server13),
                       cat(serverAuth13, {req(S::Client, FIN), any(S::Server, NST),
                                          req(S::Server, CR, "after the handshake"), req(S::Client, CERT),
                                          opt(S::Client, CV), req(S::Client, FIN)})),
                   kTls13Post)});
  return f;
}

bool senderMatches(Sender step, Sender seen) { return step == Sender::Either || step == seen; }

}  // namespace

const std::vector<Flow>& flows() {
  static const std::vector<Flow> table = buildFlows();
  return table;
}

const Flow& flow(FlowId id) {
  for (const Flow& f : flows())
    if (f.id == id) return f;
  return flows().front();
}

FlowTracker::FlowTracker() {
  for (std::size_t i = 0; i < flows().size(); ++i) positions_.push_back({i, 0});
}

std::vector<FlowTracker::Position> FlowTracker::advance(const Position& p, Sender from, int kind) const {
  const Flow& f = flows()[p.flow];
  std::vector<Position> out;
  if (kind == kFlowChangeCipherSpec && f.tls13) {
    out.push_back(p);  // compatibility-mode CCS: allowed anywhere, changes nothing
    return out;
  }
  for (std::size_t i = p.step; i < f.steps.size(); ++i) {
    const FlowStep& s = f.steps[i];
    if (s.kind == kind && senderMatches(s.from, from)) out.push_back({p.flow, s.repeatable ? i : i + 1});
    if (!s.optional) break;
  }
  return out;
}

FlowTracker::Verdict FlowTracker::observe(std::optional<Sender> from, int kind) {
  Verdict v;
  std::vector<Sender> tries = from ? std::vector<Sender>{*from} : std::vector<Sender>{Sender::Client, Sender::Server};
  for (Sender s : tries) {
    std::vector<Position> next;
    for (const Position& p : positions_)
      for (const Position& q : advance(p, s, kind))
        if (std::find(next.begin(), next.end(), q) == next.end()) next.push_back(q);
    if (!next.empty()) {
      started_ = true;
      positions_ = std::move(next);
      v.sender = s;
      return v;
    }
  }
  if (!started_) {
    std::vector<Position> joined;
    for (Sender s : tries)
      for (std::size_t f = 0; f < flows().size(); ++f)
        for (std::size_t i = 0; i < flows()[f].steps.size(); ++i) {
          const FlowStep& step = flows()[f].steps[i];
          if (step.kind != kind || !senderMatches(step.from, s)) continue;
          Position q{f, step.repeatable ? i : i + 1};
          if (std::find(joined.begin(), joined.end(), q) == joined.end()) joined.push_back(q);
          v.sender = s;
        }
    if (!joined.empty()) {
      started_ = true;
      positions_ = std::move(joined);
      return v;
    }
  }
  v.expected = false;
  v.sender = from.value_or(Sender::Either);
  v.message = fmt::format("unexpected {}{}: no known handshake flow allows it here. {}", flowKindName(kind),
                          from ? fmt::format(" from the {}", senderName(*from)) : "", describeNext());
  return v;
}

std::vector<FlowStep> FlowTracker::nextExpected() const {
  std::vector<FlowStep> out;
  for (const Position& p : positions_) {
    const Flow& f = flows()[p.flow];
    for (std::size_t i = p.step; i < f.steps.size(); ++i) {
      const FlowStep& s = f.steps[i];
      bool dup = std::any_of(out.begin(), out.end(),
                             [&](const FlowStep& o) { return o.kind == s.kind && o.from == s.from; });
      if (!dup) out.push_back(s);
      if (!s.optional) break;
    }
  }
  return out;
}

std::string FlowTracker::describeNext() const {
  std::vector<FlowStep> next = nextExpected();
  if (next.empty()) return "The handshake is complete; only application data (or alerts) should follow.";
  std::string text = "Next expected: ";
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (i) text += i + 1 == next.size() ? " or " : ", ";
    text += fmt::format("{} from the {}", flowKindName(next[i].kind), senderName(next[i].from));
  }
  return text + ".";
}

std::vector<FlowId> FlowTracker::candidates() const {
  std::vector<FlowId> out;
  for (const Position& p : positions_) {
    FlowId id = flows()[p.flow].id;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace tlslab::wire
