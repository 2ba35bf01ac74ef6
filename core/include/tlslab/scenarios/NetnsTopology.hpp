#pragma once
// The MITM lab's optional real network (`tlslab lab run mitm --netns`): three
// network namespaces joined by two veth pairs, built and removed by the lab.
//
//   victim 10.66.0.2 ==veth== 10.66.0.1 attacker 10.32.0.1 ==veth== 10.32.0.2 server
//
// Each namespace has only its veth ends and lo, and only the routes of its own
// links: the victim has no route to 10.32.0.0/24, so it reaches the bank only
// through the attacker. The addresses exist only inside these namespaces; the
// host's interfaces, routes, DNS and /etc/hosts are never touched.
//
// Threads and namespaces (Linux, checked by tests/scenarios/netns_test.cpp):
// setns(CLONE_NEWNET) moves only the calling thread; a socket belongs for its
// whole life to the namespace of the thread that created it; a new thread
// starts in its creator's namespace. So starting a LabServer or MitmProxy, or
// running a client, inside a Scope is enough: their accept and connection
// threads stay in that namespace, and the calling thread goes back when the
// Scope ends.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/pki/Result.hpp"

namespace tlslab::scenarios {

class NetnsTopology {
 public:
  enum class Host { Victim, Attacker, Server };
  static constexpr const char* kVictimAddress = "10.66.0.2";
  static constexpr const char* kAttackerFrontAddress = "10.66.0.1";  // the victim's side
  static constexpr const char* kAttackerBackAddress = "10.32.0.1";   // the server's side
  static constexpr const char* kServerAddress = "10.32.0.2";

  // Needs CAP_SYS_ADMIN and CAP_NET_ADMIN (root) and the `ip` command
  // (iproute2); see unavailableReason(). Namespaces are named
  // tlslab-<pid>-<n>-victim etc.; ones left by a killed tlslab are removed first.
  static pki::Result<std::unique_ptr<NetnsTopology>> create();
  // "" when create() can work here; else what is missing, in plain words.
  static std::string unavailableReason();
  ~NetnsTopology();  // deletes the namespaces, and with them their veth ends
  NetnsTopology(const NetnsTopology&) = delete;
  NetnsTopology& operator=(const NetnsTopology&) = delete;

  const std::string& name(Host host) const { return names_[index(host)]; }
  // The `ip` commands that built it, as a student would type them.
  const std::vector<std::string>& commands() const { return commands_; }

  // While alive, the calling thread is inside `host`'s namespace.
  class Scope {
   public:
    Scope(const NetnsTopology& topology, Host host);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

   private:
    int home_ = -1;  // the thread's namespace before, to go back to
    std::string error_;
  };

 private:
  NetnsTopology() = default;
  static std::size_t index(Host host) { return static_cast<std::size_t>(host); }
  std::string run(const std::vector<std::string>& args);  // "" on success, else ip's message
  std::array<std::string, 3> names_;
  std::array<int, 3> fds_{-1, -1, -1};     // held open: Scope enters through these
  std::array<std::uint64_t, 3> inodes_{};  // registered with endpoints::registerLabNetns
  std::vector<std::string> commands_;
};

}  // namespace tlslab::scenarios
