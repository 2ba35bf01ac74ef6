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

// One connection as its endpoints recorded it. Each side's socket writes
// become its TCP segments, one per write: the client's writes (WireEvent.sent
// in clientEvents) go client -> server; the server's writes, when the server
// was recorded too, go server -> client. Without serverEvents that direction
// is what the client read, so bytes it never read (after it aborted) are
// missing and its reads are joined into segments.
struct RecordedConnection {
  TcpPeers peers;
  std::vector<Event> clientEvents;
  std::vector<Event> serverEvents = {};  // optional: the server's own record of this connection
};

// Writes every connection into one pcapng section; "" on success, else why not.
std::string writeRunPcapng(std::ostream& out, const std::vector<RecordedConnection>& connections);

// The NSS key log lines of a run, one per line.
std::string keyLogText(const std::vector<Event>& events);

}  // namespace tlslab::endpoints
