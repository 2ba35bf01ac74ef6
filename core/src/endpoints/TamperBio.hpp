#pragma once
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <string>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/Tamper.hpp"

namespace tlslab::endpoints {

// The on-path attacker's hands: applies a Tamper to the units it sees
// (complete TLS records, or cleartext writes) and narrates each change.
class Tamperer {
 public:
  Tamperer(const Tamper& tamper, Recorder& recorder) : tamper_(tamper), recorder_(recorder) {}
  // One complete TLS record (header included) -> the bytes to send instead.
  std::string onRecord(std::string record, int fd);
  // One cleartext write of the application -> the bytes to send instead.
  // FlipByte's offset counts over everything written so far (the request),
  // the other actions pick the recordIndex-th write.
  std::string onCleartextWrite(std::string bytes, int fd);
  bool cut() const { return cut_; }  // Truncate happened: nothing more goes out

 private:
  std::string flip(std::string unit, std::size_t offset, const std::string& what, bool showCharacters);
  std::string act(std::string unit, const std::string& what, int fd, bool tls);
  Tamper tamper_;
  Recorder& recorder_;
  int seen_ = 0;                     // records of the chosen content type so far
  int writes_ = 0;                   // cleartext writes so far
  std::size_t cleartextOffset_ = 0;  // cleartext bytes written before this write
  bool cut_ = false;
};

// Inserts a filter BIO under `ssl`'s write side that applies `tamper` to the
// records OpenSSL writes. Only record boundaries are read (the 5-byte header,
// RFC 8446 §5.1); contents are never parsed. Notes go to `recorder`.
void installTamper(SSL* ssl, const Tamper& tamper, Recorder& recorder);

}  // namespace tlslab::endpoints
