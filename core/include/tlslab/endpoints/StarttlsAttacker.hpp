#pragma once
// The STARTTLS attacker of lab 13: a TCP proxy on its own loopback address
// (where a poisoned resolver sends the victim) that relays to the real mail
// server and works on the cleartext part of the conversation:
//  - Strip: removes STARTTLS (STLS) from the server's capabilities — the EHLO
//    answer, the CAPA list, the IMAP greeting and CAPABILITY — and garbles a
//    STARTTLS command the client sends anyway (XXXXXXXX, as seen in the wild),
//    so the conversation stays in cleartext unless the client refuses;
//  - Inject: appends its own command to the client's STARTTLS, in the same
//    segment, then relays the TLS bytes untouched (CVE-2011-0411 and kin: a
//    buggy server runs the command as if it had come inside TLS).
// It never holds a key: after an upgrade it only relays ciphertext.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/TlsOptions.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::endpoints {

struct StarttlsAttackConfig {
  enum class Mode { Strip, Inject };
  Mode mode = Mode::Strip;
  Starttls protocol = Starttls::Smtp;
  std::string listenAddress = "127.0.0.66";
  std::uint16_t listenPort = 0;
  std::string targetAddress = "127.0.0.1";
  std::uint16_t targetPort = 0;
  std::string injected;  // Inject: the command(s), CRLF-terminated
  int ioTimeoutMs = 5000;
  EventWindow window;  // how much of each session's events are kept
};

// What the attacker saw and did on one victim connection.
struct StarttlsAttackSession {
  std::string peer;
  std::string fromClient, fromServer;  // the cleartext it read (nothing after an upgrade)
  bool upgraded = false;               // the victim and the server went on to TLS
  std::size_t tlsBytesRelayed = 0;     // ciphertext passed on, both ways
  std::vector<std::string> actions;    // "removed 250-STARTTLS from the EHLO answer", "injected …"
  std::string error;
  std::vector<Event> events;           // as Role::ProxyFront: its reads and writes, its actions as notes
  EventsDropped dropped;               // what the window did not keep
};

class StarttlsAttacker {
 public:
  static pki::Result<std::unique_ptr<StarttlsAttacker>> start(const StarttlsAttackConfig& config, Observer observer = {});
  ~StarttlsAttacker();
  StarttlsAttacker(const StarttlsAttacker&) = delete;
  StarttlsAttacker& operator=(const StarttlsAttacker&) = delete;
  std::uint16_t port() const;
  void stop();
  std::vector<StarttlsAttackSession> sessions() const;  // finished connections, in order
  // Sessions finished so far, taken sessions included, without copying them (a main loop polls it).
  std::size_t sessionCount() const;
  // The finished sessions not taken yet, handed over and forgotten: a long
  // run frees each once it has printed it (issue 16, item 3).
  std::vector<StarttlsAttackSession> takeSessions();
  // What the attacker itself had to say since the last call (the accept loop
  // out of descriptors), for a live log.
  std::vector<std::string> takeNotes();

  struct Impl;

 private:
  explicit StarttlsAttacker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::endpoints
