#pragma once
// Prints an instrumented run as it happens: a text ladder of the handshake
// (arrow per message), the certificate checks step by step, alerts, and the
// application data. Shared by `tlslab connect`, `tlslab serve` and the labs.
#include <mutex>
#include <ostream>
#include <string>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/LabClient.hpp"

namespace tlslab::cli {

class RunPrinter {
 public:
  explicit RunPrinter(std::ostream& out, bool showWire = false, bool compact = false)
      : out_(out), showWire_(showWire), compact_(compact) {}
  // An Observer for LabClient/LabServer; safe to call from several threads.
  endpoints::Observer observer();
  void print(endpoints::Role role, const endpoints::Event& event);
  void printSummary(const endpoints::ClientRun& run);

 private:
  std::string timeColumn(endpoints::TimeUs time);
  std::ostream& out_;
  bool showWire_;
  bool compact_;  // ladder, checks and data only: no key log or state lines
  std::mutex mutex_;
  endpoints::TimeUs start_ = 0;
};

// Printable text for application bytes: printable ASCII kept, the rest as \xNN.
std::string printable(tlslab::ByteView bytes, std::size_t limit = 400);

}  // namespace tlslab::cli
