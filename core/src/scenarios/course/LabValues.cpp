#include "tlslab/scenarios/course/LabValues.hpp"

#include <array>
#include <string_view>

namespace tlslab::course {

namespace {
constexpr std::array<std::string_view, 8> kPayees{"otter", "heron", "badger", "lynx", "marten", "osprey", "vole", "wren"};
}  // namespace

std::string earlyDataRequest(const Variant& v) {
  // A state-changing request in 0-RTT: exactly what RFC 8446 §8 and RFC 8470 warn against.
  return "GET /transfer?to=" + std::string(v.pick("early/payee", kPayees)) + "&amount=" +
         std::to_string(v.number("early/amount", 100, 9999)) + " HTTP/1.1\r\nHost: bank32.com\r\n\r\n";
}

std::string mailSubject(const Variant& v) {
  return "Subject: payroll " + std::to_string(v.number("mail/payroll", 1000, 9999)) + " for " +
         std::string(v.pick("mail/team", kPayees)) + " team";
}

std::string injectedCommand(const Variant& v) {
  // A name of its own length per student, so the number of injected bytes differs too.
  return "RCPT TO:<eve." + std::string(v.pick("inject/name", kPayees)) + std::to_string(v.number("inject/eve", 10, 99)) +
         "@attacker32.com>";
}

std::string quicServerName(const Variant& v) {
  return "h3." + std::string(v.pick("quic/host", kPayees)) + std::to_string(v.number("quic/number", 1000, 9999)) + ".test";
}

std::string quicPageToken(const Variant& v) { return v.hex("quic/token", 12); }

std::string quicPage(const Variant& v) {
  return "<html><body>Hello " + v.student() + ", over QUIC. Your token: " + quicPageToken(v) + "</body></html>\n";
}

}  // namespace tlslab::course
