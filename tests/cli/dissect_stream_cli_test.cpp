// `tlslab dissect` streams (issue 17): its --json, --jsonl and printout are
// written connection by connection as each one closes; so does `tlslab
// follow` (connection N when it finishes), and `tlslab export` drops records
// as connections close. Each must be what the
// whole Trace held in memory gives (the hidden --no-stream), byte for byte,
// on every sample capture and every Wireshark conformance case.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

// A capture and the options that give it its keys, from the source folder
// (so "source" in the JSON is the same path in both runs).
struct Input {
  std::string name;
  std::string args;
};

std::vector<Input> samples() {
  std::vector<Input> out;
  for (const auto& entry : std::filesystem::directory_iterator(sourceDir() / "captures"))
    if (entry.path().extension() == ".pcapng") out.push_back({entry.path().filename().string(), entry.path().string()});
  return out;
}

std::vector<Input> conformance() {
  std::vector<Input> out;
  const auto dir = conformanceDir() / "wireshark";
  std::ifstream in(dir / "cases.tsv");
  std::string line;
  std::getline(in, line);  // header: capture keylog rsa_key ... case_id (8th) ... rsa_key_password (10th)
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    if (cells.size() < 10) continue;
    std::string args = (dir / cells[0]).string();
    if (cells[1] != "-") args += " --keylog " + (dir / cells[1]).string();
    if (cells[2] != "-") args += " --rsa-key " + (dir / cells[2]).string();
    if (cells[9] != "-") args += " --key-password '" + cells[9] + "'";
    out.push_back({cells[7], args});
  }
  return out;
}

// stdout alone (stderr has progress and warnings), and the exit status.
CommandResult dissect(const std::string& args) {
  return run("(" + tlslabExe().string() + " dissect " + args + " </dev/null 2>/dev/null)");
}

void expectSameAsWhole(const Input& input, const std::string& options) {
  SCOPED_TRACE(input.name + " " + options);
  auto streamed = dissect(input.args + " " + options);
  auto whole = dissect(input.args + " " + options + " --no-stream");
  EXPECT_EQ(streamed.exitCode, whole.exitCode);
  // Exit 2 prints nothing (dmgr's RC2-encrypted PKCS#12 key needs OpenSSL's legacy provider).
  EXPECT_TRUE(whole.exitCode == 2 || !whole.out.empty());
  EXPECT_TRUE(streamed.out == whole.out) << "streamed output differs from the whole Trace's; streamed:\n"
                                         << streamed.out.substr(0, 2000) << "\nwhole:\n"
                                         << whole.out.substr(0, 2000);
}

// --jsonl: a line per connection (closing order), then the trace's line;
// together they are the --json document.
void expectJsonlIsTheDocument(const Input& input) {
  SCOPED_TRACE(input.name);
  auto document = dissect(input.args + " --json");
  auto lines = dissect(input.args + " --jsonl");
  EXPECT_EQ(document.exitCode, lines.exitCode);
  if (document.exitCode == 2) return;  // a key that cannot be loaded: nothing printed
  auto doc = nlohmann::json::parse(document.out);
  std::map<std::size_t, nlohmann::json> byIndex;
  std::vector<nlohmann::json> parsed;
  std::stringstream in(lines.out);
  for (std::string line; std::getline(in, line);) parsed.push_back(nlohmann::json::parse(line));
  ASSERT_FALSE(parsed.empty());
  const nlohmann::json last = parsed.back();
  parsed.pop_back();
  EXPECT_FALSE(last.contains("index"));
  EXPECT_EQ(last.at("source"), doc.at("source"));
  EXPECT_EQ(last.at("diagnostics"), doc.at("diagnostics"));
  EXPECT_EQ(last.at("connectionCount"), parsed.size());
  for (auto& c : parsed) {
    const std::size_t index = c.at("index");
    EXPECT_FALSE(byIndex.count(index)) << "connection " << index << " twice";
    byIndex[index] = std::move(c);
  }
  ASSERT_EQ(byIndex.size(), doc.at("connections").size());
  for (const auto& c : doc.at("connections")) EXPECT_EQ(byIndex[c.at("index")], c) << "connection " << c.at("index");
}

std::uint32_t le32(const std::string& b, std::size_t at) {
  return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
         std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}

// A sample capture (little-endian pcapng, Ethernet, IPv4) with the first TCP
// connection's packets from its first FIN on moved to the end of the file:
// that connection now closes after the ones that follow it.
std::filesystem::path closingOutOfOrder(const std::string& sample) {
  std::ifstream in(sourceDir() / "captures" / sample, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string kept, moved;
  int firstPort = -1;
  bool finSeen = false;
  for (std::size_t at = 0; at + 8 <= bytes.size();) {
    const std::uint32_t type = le32(bytes, at), length = le32(bytes, at + 4);
    if (length < 12 || at + length > bytes.size()) break;
    const std::string block = bytes.substr(at, length);
    at += length;
    if (type == 6 && length >= 28 + 14 + 20 + 20) {  // Enhanced Packet Block
      const std::size_t ip = 28 + 14, tcp = ip + (std::uint8_t(block[ip]) & 15u) * 4;
      const int source = std::uint8_t(block[tcp]) << 8 | std::uint8_t(block[tcp + 1]);
      const int destination = std::uint8_t(block[tcp + 2]) << 8 | std::uint8_t(block[tcp + 3]);
      const bool fin = (std::uint8_t(block[tcp + 13]) & 1u) != 0;
      if (firstPort < 0) firstPort = source;
      if ((source == firstPort || destination == firstPort) && (fin || finSeen)) {
        finSeen = true;
        moved += block;
        continue;
      }
    }
    kept += block;
  }
  EXPECT_TRUE(finSeen) << sample;
  const auto path = std::filesystem::temp_directory_path() / ("tlslab-stream-" + std::to_string(::getpid()) + "-" + sample);
  std::ofstream(path, std::ios::binary) << kept << moved;
  return path;
}

// `tlslab follow` and `tlslab export` stream too: stdout, stderr, the exit
// status and (export) the written file, each read on its own.
struct Outputs {
  int exitCode = -1;
  std::string out, err, file;
};

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Outputs tlslab(const std::string& args, const std::filesystem::path& written = {}) {
  const auto err = std::filesystem::temp_directory_path() / ("tlslab-stream-" + std::to_string(::getpid()) + ".err");
  Outputs o;
  auto r = run("(" + tlslabExe().string() + " " + args + " </dev/null 2>" + err.string() + ")");
  o.exitCode = r.exitCode;
  o.out = r.out;
  o.err = slurp(err);
  std::filesystem::remove(err);
  if (!written.empty()) {
    o.file = slurp(written);
    std::filesystem::remove(written);
  }
  return o;
}

void expectSame(const Outputs& streamed, const Outputs& whole, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(streamed.exitCode, whole.exitCode);
  EXPECT_TRUE(streamed.out == whole.out) << "stdout differs; streamed:\n"
                                         << streamed.out.substr(0, 2000) << "\nwhole:\n"
                                         << whole.out.substr(0, 2000);
  EXPECT_EQ(streamed.err, whole.err);
  EXPECT_TRUE(streamed.file == whole.file) << "written files differ (" << streamed.file.size() << " and "
                                           << whole.file.size() << " bytes)";
}

// Every connection N (and the first N past the end, an error), in each of
// follow's three forms; returns how many connections were followed.
std::size_t expectFollowSameAsWhole(const Input& input) {
  std::size_t n = 0;
  for (; n < 64; ++n) {
    bool pastTheEnd = false;
    for (const char* form : {"", " --raw", " --hex"}) {
      // N right after the capture: --keylog takes every value that follows it.
      const std::size_t space = std::min(input.args.find(' '), input.args.size());
      const std::string args = "follow " + input.args.substr(0, space) + " " + std::to_string(n) +
                               input.args.substr(space) + form;
      const Outputs whole = tlslab(args + " --no-stream");
      expectSame(tlslab(args), whole, input.name + ": " + args);
      pastTheEnd = pastTheEnd || whole.exitCode == 2;
    }
    if (pastTheEnd) break;
  }
  return n;
}

void expectExportSameAsWhole(const Input& input) {
  const auto out = std::filesystem::temp_directory_path() / ("tlslab-stream-" + std::to_string(::getpid()) + ".pcapng");
  const std::string args = "export " + input.args + " -o " + out.string();
  const Outputs whole = tlslab(args + " --no-stream", out);
  EXPECT_TRUE(whole.exitCode == 2 || !whole.file.empty()) << input.name;
  expectSame(tlslab(args, out), whole, input.name + ": " + args);
}

}  // namespace

TEST(DissectStreamCli, FollowAndExportGiveWhatTheWholeTraceGives) {
  std::size_t followed = 0;
  for (const auto& input : samples()) {
    followed += expectFollowSameAsWhole(input);
    expectExportSameAsWhole(input);
  }
  EXPECT_GT(followed, 20u);
  if (!std::filesystem::exists(conformanceDir() / "wireshark" / "cases.tsv")) return;
  for (const auto& input : conformance()) {
    expectFollowSameAsWhole(input);
    expectExportSameAsWhole(input);
  }
}

TEST(DissectStreamCli, SampleCapturesPrintWhatTheWholeTraceGives) {
  const auto inputs = samples();
  ASSERT_FALSE(inputs.empty());
  for (const auto& input : inputs) {
    expectSameAsWhole(input, "--json");
    expectSameAsWhole(input, "");
    expectSameAsWhole(input, "--filter 1");
    expectSameAsWhole(input, "--json --filter 0");
    expectSameAsWhole(input, "--summary");
    expectJsonlIsTheDocument(input);
  }
}

TEST(DissectStreamCli, ConformanceCapturesPrintWhatTheWholeTraceGives) {
  if (!std::filesystem::exists(conformanceDir() / "wireshark" / "cases.tsv"))
    GTEST_SKIP() << "no conformance corpus at " << conformanceDir();
  for (const auto& input : conformance()) {
    expectSameAsWhole(input, "--json");
    expectSameAsWhole(input, "");
    expectSameAsWhole(input, "--no-payloads");
    expectSameAsWhole(input, "--json --filter port:443");
    expectJsonlIsTheDocument(input);
  }
}

// Connections that close out of index order are held back until every
// earlier one has been written: the document keeps index order. Here the
// first connection of a session-ID resumption closes after the one that
// resumes it.
TEST(DissectStreamCli, ConnectionsClosingOutOfIndexOrderAreWrittenInIndexOrder) {
  const auto capture = closingOutOfOrder("tls12-resume-id.pcapng");
  const Input input{"tls12-resume-id, first connection closing last", capture.string()};
  auto lines = dissect(input.args + " --jsonl");
  std::vector<std::size_t> closing;
  std::stringstream in(lines.out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (!j.contains("index")) continue;
    closing.push_back(j.at("index"));
    if (j.at("index") == 1) {
      EXPECT_EQ(j.at("negotiated").at("resumedFrom"), 0) << line.substr(0, 300);
    }
  }
  EXPECT_EQ(closing, (std::vector<std::size_t>{1, 0})) << lines.out.substr(0, 500);
  auto doc = nlohmann::json::parse(dissect(input.args + " --json").out);
  ASSERT_EQ(doc.at("connections").size(), 2u);
  EXPECT_EQ(doc.at("connections")[0].at("index"), 0);
  EXPECT_EQ(doc.at("connections")[1].at("index"), 1);
  expectSameAsWhole(input, "--json");
  expectSameAsWhole(input, "");
  expectSameAsWhole(input, "--filter 1");
  expectSameAsWhole(input, "--filter 0 --no-payloads");
  expectJsonlIsTheDocument(input);
  EXPECT_EQ(expectFollowSameAsWhole(input), 2u);
  expectExportSameAsWhole(input);
  std::filesystem::remove(capture);
}
