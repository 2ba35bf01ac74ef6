#pragma once
// Lab 13's attacks on STARTTLS (tutorials/13-starttls.md), each a real run:
// the lab's mail server for mail.bank32.com, the attacker's proxy
// (endpoints::StarttlsAttacker) on 127.0.0.66 where the victim's resolver
// points, and a victim: tlslab's own client (opportunistic or requiring TLS)
// or curl from Debian (--ssl tries TLS, --ssl-reqd requires it).
//  - stripping: the attacker removes STARTTLS from the server's EHLO answer;
//    which victims send their mail in cleartext, and what the attacker reads;
//  - injection: the attacker appends a command to the client's STARTTLS; a
//    buggy server (CVE-2011-0411 class) runs it inside TLS, a fixed one
//    discards it. Both say so in their log.
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/StarttlsAttacker.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

enum class StripVictim { Opportunistic, Required, CurlSsl, CurlSslReqd };
const char* stripVictimName(StripVictim victim);  // "opportunistic", "required", "curl-ssl", "curl-ssl-reqd"
const char* stripVictimDescription(StripVictim victim);
std::vector<StripVictim> allStripVictims();

struct StarttlsAttackOptions {
  std::filesystem::path certsDir;
  std::string subject = "Subject: quarterly payroll";  // the confidential line of the victim's mail
  std::string injected = "RCPT TO:<eve@attacker32.com>";  // injection: the command, without CRLF
  bool starttlsBug = false;  // injection: the server keeps what arrived with STARTTLS
  endpoints::Observer observer;  // the victim's and the server's events as they happen
};

struct StarttlsAttackRun {
  std::string setupError;
  std::string victimName;                 // "tlslab (opportunistic)", "curl --ssl-reqd", ...
  bool victimSentMail = false;            // the server queued the victim's message
  bool victimUsedTls = false;             // ... inside TLS
  std::string victimError;                // why the victim stopped ("" when it finished)
  std::string victimReceived;             // what the victim read from the server (tlslab's client)
  endpoints::ClientRun client;            // tlslab's client (empty for curl)
  std::vector<endpoints::StarttlsAttackSession> attacker;
  std::vector<endpoints::ServerConnection> serverSide;
  // What the server's log says (its notes), in order.
  std::vector<std::string> serverLog() const;
  // The cleartext the attacker read from the victim, joined.
  std::string attackerRead() const;
};

// The victim's mail, as written: headers with `subject`, a body, the final dot.
std::string victimMessage(const std::string& subject);

StarttlsAttackRun runStarttlsStrip(StripVictim victim, const StarttlsAttackOptions& options);
// The same mail sent straight to the server (no attacker): the control run,
// and the capture of lab 13's materials (legsOf gives its leg for traceOfRun).
StarttlsAttackRun runStarttlsDirect(const StarttlsAttackOptions& options);
std::vector<RunLeg> legsOf(const StarttlsAttackRun& run);
StarttlsAttackRun runStarttlsInjection(const StarttlsAttackOptions& options);

// What happened, in the words the CLI prints (verdict line last, ✔ or ✗).
std::vector<std::string> stripReport(const StarttlsAttackRun& run, const std::string& subject);
std::vector<std::string> injectionReport(const StarttlsAttackRun& run, bool starttlsBug);

}  // namespace tlslab::scenarios
