#pragma once
// Prints an instrumented run as it happens. Shared by `tlslab connect`,
// `tlslab serve`, `tlslab mitm` and the labs.
//
// The default view is a ladder: one column per party (client left, server
// right; victim, proxy, bank32.com in the MITM lab), one line per message
// with an arrow from its sender, each message once, the certificate checks
// and lab notes in the column of the side that made them. `--full-log`
// gives every event of every side as OpenSSL reported it (state machine,
// key log, both ends of each message), the view for debugging.
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/LabClient.hpp"

namespace tlslab::cli {

enum class LogStyle { Ladder, Full };

// The ladder's columns and who reports to the printer.
struct RunLanes {
  std::vector<std::string> names;  // left to right
  // Every endpoint of each connection reports here (a lab): a message is
  // drawn once, from its sender. Otherwise (connect, serve, the standalone
  // proxy) what the one observed side sent and received is drawn.
  bool everySideObserved = false;
  // ... and still show, in the server's column, the application bytes it
  // got (the tamper lab: what arrived is not always what was sent).
  bool showDelivered = false;
  static RunLanes pair(bool everySideObserved) { return {{"client", "server"}, everySideObserved}; }
  static RunLanes mitm(bool everySideObserved) { return {{"victim", "proxy", "bank32.com"}, everySideObserved}; }
};

class RunPrinter {
 public:
  RunPrinter(std::ostream& out, LogStyle style, RunLanes lanes, bool showWire = false)
      : out_(out), style_(style), lanes_(std::move(lanes)), showWire_(showWire) {}
  ~RunPrinter() { flushRepeats(); }
  RunPrinter(const RunPrinter&) = delete;
  RunPrinter& operator=(const RunPrinter&) = delete;
  // An Observer for LabClient/LabServer; safe to call from several threads.
  endpoints::Observer observer();
  void print(endpoints::Role role, const endpoints::Event& event);
  void printSummary(const endpoints::ClientRun& run);

 private:
  void printFull(endpoints::Role role, const endpoints::Event& event);
  void printLadder(endpoints::Role role, const endpoints::Event& event);
  std::size_t laneOf(endpoints::Role role) const;
  std::size_t peerOf(endpoints::Role role) const;
  void arrowRow(endpoints::TimeUs time, std::size_t from, std::size_t to, const std::string& label);
  void laneRow(endpoints::TimeUs time, std::size_t lane, const std::string& text);
  std::string timeColumn(endpoints::TimeUs time);
  void emitRow(endpoints::TimeUs time, std::string body);
  void flushRepeats();
  std::ostream& out_;
  LogStyle style_;
  RunLanes lanes_;
  bool showWire_;
  bool headerPrinted_ = false;
  std::mutex mutex_;
  endpoints::TimeUs start_ = 0;
  // A peer repeating one message (endless HelloRequests) must not print
  // gigabytes: after kShownRepeats identical rows, the rest are counted.
  static constexpr int kShownRepeats = 3;
  std::string lastRow_;
  int sameRows_ = 0;      // consecutive rows equal to lastRow_, as printed or counted
  long hiddenRows_ = 0;   // of those, not printed
};

// A message's name as both views print it: "client_hello", "Alert fatal bad_record_mac".
std::string messageLabel(const endpoints::MessageEvent& m);

// A message on one line: CR, LF and other control bytes (a peer's words
// quoted in it) shown as \r, \n, \xNN; UTF-8 kept.
std::string oneLine(std::string_view text);

// Printable text for application bytes: printable ASCII kept, the rest as \xNN.
std::string printable(tlslab::ByteView bytes, std::size_t limit = 400);

}  // namespace tlslab::cli
