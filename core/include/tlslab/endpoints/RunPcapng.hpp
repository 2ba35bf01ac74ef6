#pragma once
// Turns an instrumented run into a capture: Ethernet/IP/TCP packets carrying
// exactly the bytes the wire tap recorded, at their timestamps, plus a
// Decryption Secrets Block with the run's key log, so the file opens
// decrypted in Wireshark/tshark and in tlslab with no extra options.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"

namespace tlslab::endpoints {

struct TcpPeers {
  std::string clientAddress = "127.0.0.1";
  std::uint16_t clientPort = 0;
  std::string serverAddress = "127.0.0.1";
  std::uint16_t serverPort = 0;
};

// One connection as the client recorded it (WireEvent.sent = client -> server).
struct RecordedConnection {
  TcpPeers peers;
  std::vector<Event> clientEvents;
};

// Writes every connection into one pcapng section; "" on success, else why not.
std::string writeRunPcapng(std::ostream& out, const std::vector<RecordedConnection>& connections);

// The NSS key log lines of a run, one per line.
std::string keyLogText(const std::vector<Event>& events);

}  // namespace tlslab::endpoints
