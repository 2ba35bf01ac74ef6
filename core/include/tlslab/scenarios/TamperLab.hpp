#pragma once
// The tamper lab (tutorials/02-tampering.md), run as PairLab::Tamper: an attacker
// on the path, without any key, flips, drops, replays or cuts the client's
// request. Over TLS the server refuses it; over cleartext TCP (`plain`) the
// server's application takes whatever arrives. The verdict and its words are
// made here so the CLI and the GUI say the same thing.
#include <string>
#include <vector>

#include "tlslab/endpoints/Tamper.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

struct PairLabRun;

// The attacks of the tamper lab (endpoints::Tamper::Action, minus None).
std::vector<endpoints::Tamper::Action> tamperActions();
const char* tamperActionDescription(endpoints::Tamper::Action action, bool plain = false);
// Why the run's own self-check fails, as it must: the capture holds what the
// attacker made of the client's bytes ("expected: ...").
const char* tamperSelfCheckNote(endpoints::Tamper::Action action);

struct TamperVerdict {
  endpoints::Tamper::Action action = endpoints::Tamper::Action::None;
  bool plain = false;          // cleartext TCP: nothing can notice
  std::string attack;          // the attacker's note: "tamper: record 1 (61 bytes) byte 60 flipped in flight ..."
  std::string serverAlert;     // the alert the server sent, "fatal bad record mac" ("" when none)
  std::string serverError;     // why the server closed the connection ("" for a normal end)
  std::string sent;            // what the client's application wrote
  std::string delivered;       // what the server's application received
  bool requestDelivered = false;  // the whole request, unchanged, reached the server's application

  // Every byte the server's application received is one the client wrote, in
  // order: what TLS guarantees even under attack (it may deliver less).
  bool genuine() const { return sent.compare(0, delivered.size(), delivered) == 0 && delivered.size() <= sent.size(); }
  bool noticed() const { return !serverAlert.empty() || !serverError.empty(); }
  bool detected() const { return !requestDelivered && genuine() && noticed(); }
  // TLS: the attack happened and was detected; plain: it happened and the
  // server's application got something other than the request.
  bool asExpected() const { return !attack.empty() && (plain ? delivered != sent : detected()); }
  // The verdict in words, one line each, marked ✔ (TLS held) or ✗ (it did not, or no TLS).
  std::vector<std::string> lines() const;
};
TamperVerdict tamperVerdict(const PairLabRun& run);

// What the run's own capture shows, in one line: the record that would not
// open, the bytes that never crossed the wire, or (plain) the altered bytes
// in the clear.
std::string tamperCaptureLine(const TamperVerdict& verdict, const PairLabRun& run, const RunTrace& traced);

}  // namespace tlslab::scenarios
