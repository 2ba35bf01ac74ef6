#pragma once
// The sample captures of captures/: one function per capture, each a lab run
// of this library turned into a pcapng with its key log embedded, listed in
// one table with what the capture shows — the README's line and the content
// a test dissects it for (`tlslab captures regenerate` writes them all).
// Keys and randoms are fresh on every run, so a capture is judged by what it
// dissects to, never by its bytes.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::scenarios {

// What a capture must dissect to (checked connection by connection where it says so).
struct CaptureContent {
  std::size_t connections = 1;
  std::uint16_t version = 0x0304;  // of every TLS connection (0: the capture has no TLS)
  std::string suite;               // IANA name of the first connection's suite ("" = not checked)
  model::Resumption resumption = model::Resumption::None;  // how the last connection resumed
  bool earlyData = false;          // the last connection's 0-RTT data was accepted
  std::vector<std::string> messages;  // names that must appear, a name twice = at least twice
  std::vector<std::string> plaintext;  // must be among the decrypted (or cleartext) bytes
  std::string alert;               // a connection's state names this alert
  std::string startTls;            // "SMTP", "IMAP", "POP3"
  std::string protection;          // the record protection, as scenarios::recordProtection words it
  bool allDecrypted = true;        // every encrypted record opened (false: a tampered or refused run)
};

struct SampleCapture {
  std::string_view file;   // "tls13-https-hello.pcapng"
  std::string_view shows;  // the README's description
  CaptureContent content;
  // The lab run that makes it: its pcapng, or "" and why not in `error`.
  std::string (*make)(const std::filesystem::path& certsDir, std::string& error);
};

// The table, in README order.
std::span<const SampleCapture> sampleCaptures();

// "" when `trace` shows what `content` says, else the first thing that differs.
std::string checkCaptureContent(const model::Trace& trace, const CaptureContent& content);

}  // namespace tlslab::scenarios
