#pragma once
// The record-layer lab (tutorials/10-record-layer.md): the lab client writes
// one block of `writeSize` bytes with a single SSL_write to the lab's echo
// server, whose reader calls SSL_read with a `readBuffer`-byte buffer and
// writes back what each call returned. Every SSL_read is an AppDataEvent of
// the server, so the calls and their return values are on record; the
// capture (live on lo with libpcap when allowed, else the run's own) shows
// the records and the TCP segments that carried them.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

struct RecordLabOptions {
  std::filesystem::path certsDir;
  std::size_t writeSize = 20000;  // the client's one SSL_write
  std::size_t readBuffer = 9000;  // the server's SSL_read buffer
  std::string tls = "1.3";        // "1.2" or "1.3"
  std::string ciphers;            // TLS 1.2 suites, OpenSSL syntax ("" = OpenSSL's default, AES-GCM)
  bool macThenEncrypt = false;    // CBC without encrypt_then_mac (RFC 7366)
  std::size_t padding = 0;        // TLS 1.3: pad each record's inner plaintext to a multiple of this (RFC 8446 §5.4)
  // Capture on lo with libpcap (root or CAP_NET_RAW); without permission the
  // run's own pcapng is used and `captureMethod` says why.
  bool liveCapture = false;
  // The MSS the client announces (TCP_MAXSEG): an Ethernet path's 1460, so
  // loopback segments like a LAN instead of carrying 64 KiB at a time.
  int maxSegment = 1460;
  endpoints::Observer observer;
};

// Bounds that keep a run small and quick; "" or what is wrong, in option words.
std::string checkRecordLabOptions(const RecordLabOptions& options);

// The bytes the client writes: numbered lines, ending in a unique marker the
// client waits for in the echo.
std::string recordLabPayload(std::size_t size);

struct RecordLabRun {
  endpoints::ClientRun client;
  std::vector<endpoints::ServerConnection> server;
  std::string setupError;
  std::vector<std::size_t> clientWrites;  // what the client's application wrote, one SSL_write each
  std::vector<std::size_t> serverReads;   // what each SSL_read of the server's reader returned
  std::string pcapng;                     // the capture, key log embedded
  std::string captureMethod;              // "captured live on lo with libpcap, MSS 1460" or why not
  bool live = false;
  bool ok() const { return setupError.empty() && client.scriptOk; }
  std::vector<RunLeg> legs() const;
};

RecordLabRun runRecordLab(const RecordLabOptions& options);

// One TCP segment of the capture (a frame with payload).
struct SegmentRow {
  std::uint64_t frame = 0;
  model::Direction direction = model::Direction::ClientToServer;
  std::uint64_t offset = 0;  // stream offset of its first payload byte
  std::size_t size = 0;
  std::vector<std::size_t> records;  // records with at least one byte in it
};

// One record and what the dissector found in it.
struct RecordRow {
  std::size_t index = 0;
  model::Direction direction = model::Direction::ClientToServer;
  std::uint8_t outerType = 0;
  std::size_t length = 0;      // the header's length field
  std::string what;            // "ClientHello", "Application Data", "Alert", ...
  std::string keyPhase;        // "", "handshake", "application"
  std::optional<std::uint64_t> sequence;  // of a protected record that was opened
  std::uint8_t innerType = 0;  // TLS 1.3 inner content type (0 = not TLS 1.3 protected)
  std::size_t plaintext = 0;   // content bytes
  std::size_t padding = 0;     // TLS 1.3 zero padding, or CBC padding with its length byte
  std::size_t explicitIv = 0;  // TLS 1.2: explicit nonce (GCM) or IV (CBC)
  std::size_t mac = 0, tag = 0;
  std::string construction;    // "AEAD", "MAC-then-encrypt", "encrypt-then-MAC"
  std::vector<std::uint64_t> frames;  // the segments that carry its bytes
};

struct RecordLayout {
  model::TraceConnection connection;  // the first connection of the capture
  std::vector<RecordRow> records;
  std::vector<SegmentRow> segments;
  std::string error;  // the capture could not be read
};

// Dissects a capture and lines up each connection's records with the TCP
// segments that carried them: TCP knows nothing of records, so one segment
// may hold several and one record span several (`tlslab dissect --segments`).
struct CaptureLayouts {
  std::vector<RecordLayout> connections;  // as the dissector numbers them
  std::string error;                      // the capture could not be read
};
CaptureLayouts recordLayouts(const std::filesystem::path& file, keys::KeyStore& keys);
CaptureLayouts recordLayouts(ByteView capture, keys::KeyStore& keys);
// The first connection of `pcapng`, with the keys of its Decryption Secrets Block.
RecordLayout recordLayout(ByteView pcapng);

// The client's application-data records after its handshake (the write).
std::vector<const RecordRow*> clientDataRecords(const RecordLayout& layout);
// The server's application-data records (the echo), in order.
std::vector<const RecordRow*> serverDataRecords(const RecordLayout& layout);

}  // namespace tlslab::scenarios
