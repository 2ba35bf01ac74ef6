// Cross-check with an independent decoder (STYLE practice 9): tshark's HTTP/2
// dissector reads the same captures, and per connection and direction the
// frames (type, stream) and the decoded header fields (name, value) must be
// the ones tlslab decodes, in the same order.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "AppTestUtil.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab;
using apptest::wireshark;

namespace {

struct Side {
  std::vector<std::string> frames;   // "HEADERS 1"
  std::vector<std::string> headers;  // "name: value"
  bool operator==(const Side&) const = default;
};
using Sides = std::map<std::string, Side>;  // "clientport C->S" / "clientport S->C"

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::string port(const std::string& endpoint) { return endpoint.substr(endpoint.rfind(':') + 1); }

// One line per packet: srcport, dstport, then the packet's HTTP/2 frames'
// types and streams and its header names and values, '~'-aggregated.
Sides tsharkSides(const std::string& capture, const std::string& options, const std::vector<std::string>& serverPorts) {
  const auto result = test::run("tshark -r " + (wireshark() / capture).string() + " " + options +
                                " -Y http2 -T fields -E aggregator='~' -e tcp.srcport -e tcp.dstport -e http2.type "
                                "-e http2.streamid -e http2.header.name -e http2.header.value 2>/dev/null");
  Sides out;
  std::istringstream in(result.out);
  std::string line;
  while (std::getline(in, line)) {
    const auto cols = split(line, '\t');
    if (cols.size() < 4) continue;
    const bool fromServer = std::find(serverPorts.begin(), serverPorts.end(), cols[0]) != serverPorts.end();
    Side& side = out[(fromServer ? cols[1] : cols[0]) + (fromServer ? " S->C" : " C->S")];
    const auto types = split(cols[2], '~'), streams = split(cols[3], '~');
    for (std::size_t i = 0; i < types.size() && i < streams.size(); ++i)
      side.frames.push_back(app::frameTypeName(static_cast<std::uint8_t>(std::stoi(types[i]))) + " " + streams[i]);
    if (cols.size() >= 6) {
      const auto names = split(cols[4], '~'), values = split(cols[5], '~');
      for (std::size_t i = 0; i < names.size(); ++i) side.headers.push_back(names[i] + ": " + (i < values.size() ? values[i] : ""));
    }
  }
  return out;
}

Sides tlslabSides(const model::Trace& trace, std::vector<std::string>& serverPorts) {
  Sides out;
  for (const auto& conn : trace.connections) {
    const auto c = app::decodeConversation(conn);
    if (c.protocol != app::Protocol::Http2) continue;
    serverPorts.push_back(port(conn.server));
    const std::string client = port(conn.client);
    auto key = [&](model::Direction d) { return client + (d == model::Direction::ClientToServer ? " C->S" : " S->C"); };
    for (const auto& f : c.frames) out[key(f.at.direction)].frames.push_back(app::frameTypeName(f.type) + " " + std::to_string(f.stream));
    for (const auto& m : c.messages) {
      for (const auto& h : m.headers) out[key(m.at.direction)].headers.push_back(h.name + ": " + h.value);
      for (const auto& h : m.trailers) out[key(m.at.direction)].headers.push_back(h.name + ": " + h.value);
    }
  }
  return out;
}

// The first place two lists part, for a readable failure.
std::string firstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "<end>", y = i < b.size() ? b[i] : "<end>";
    if (x != y) return "at " + std::to_string(i) + ": tlslab \"" + x.substr(0, 120) + "\", tshark \"" + y.substr(0, 120) + "\"";
  }
  return "none";
}

void crossCheck(const std::string& capture, const std::string& keylog, const std::string& tsharkOptions) {
  if (!std::filesystem::exists(wireshark() / "cases.tsv")) GTEST_SKIP() << "no conformance corpus";
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  auto trace = apptest::dissectCase(capture, keylog);
  ASSERT_TRUE(trace);
  std::vector<std::string> serverPorts;
  const Sides ours = tlslabSides(*trace, serverPorts);
  ASSERT_FALSE(ours.empty());
  const Sides theirs = tsharkSides(capture, tsharkOptions, serverPorts);
  for (const auto& [key, side] : ours) {
    auto it = theirs.find(key);
    ASSERT_NE(it, theirs.end()) << key;
    EXPECT_TRUE(side.frames == it->second.frames) << capture << " " << key << " frames differ "
                                                   << firstDifference(side.frames, it->second.frames);
    EXPECT_TRUE(side.headers == it->second.headers) << capture << " " << key << " headers differ "
                                                     << firstDifference(side.headers, it->second.headers);
    EXPECT_FALSE(side.frames.empty()) << key;
  }
  EXPECT_EQ(ours.size(), theirs.size());
}

}  // namespace

TEST(Http2Tshark, DataReassemblyFramesAndHeadersMatchTshark) {
  crossCheck("captures/http2-data-reassembly.pcap", "keys/http2-data-reassembly.keys",
             "-o tls.keylog_file:" + (wireshark() / "keys/http2-data-reassembly.keys").string() + " -d tcp.port==8443,tls");
}

TEST(Http2Tshark, BrotliFramesAndHeadersMatchTshark) { crossCheck("captures/http2-brotli.pcapng", "", ""); }

// The server's segments arrive out of order from frame 101 on: tshark reads
// past them only when told to reassemble out-of-order segments.
TEST(Http2Tshark, MultistreamFramesAndHeadersMatchTshark) {
  crossCheck("captures/http2_follow_multistream.pcapng", "", "-o tcp.reassemble_out_of_order:TRUE");
}
