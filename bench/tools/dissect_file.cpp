// Full decryption of a capture through the dissector in bulk mode (no
// payloads or closed records kept, so no field tree gets learner text; every
// record is still decrypted and authenticated), as the bench compares with
// tshark: prints the time, the application records decrypted, records that
// did not open, and peak RSS.
//
//   tlslab_bench_dissect_file CAPTURE [KEYLOG]
#include <sys/resource.h>

#include <chrono>
#include <iostream>

#include "tlslab/dissect/TlsDissector.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tlslab_bench_dissect_file CAPTURE [KEYLOG]\n";
    return 2;
  }
  tlslab::keys::KeyStore keys;
  if (argc > 2) {
    if (auto loaded = keys.addKeyLogFile(argv[2]); !loaded) {
      std::cerr << "cannot read key log " << argv[2] << "\n";
      return 2;
    }
  }
  std::uint64_t appRecords = 0, closed = 0;
  tlslab::dissect::DissectOptions options;
  options.keepPayloads = false;
  options.keepRecords = false;  // a closed connection keeps its summary only: memory stays flat
  options.keepFinishedDetail = false;
  options.onRecord = [&](const tlslab::model::TraceConnection&, const tlslab::model::TraceRecord& record) {
    if (!record.undecryptedReason.empty()) ++closed;
    else if (record.innerContentType == 23) ++appRecords;
  };
  auto start = std::chrono::steady_clock::now();
  auto trace = tlslab::dissect::dissectFile(argv[1], keys, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!trace) {
    std::cerr << trace.error().message() << "\n";
    return 2;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "seconds " << seconds << "\nconnections " << trace.value().connections.size() << "\napp_records "
            << appRecords << "\nundecrypted_records " << closed << "\npeak_rss_mb " << usage.ru_maxrss / 1024.0 << "\n";
  return closed == 0 ? 0 : 1;
}
