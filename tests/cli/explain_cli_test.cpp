// `tlslab explain`, run as the real binary: hex from an argument, a file or
// stdin, raw binary files, --json, --message, and the exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/Rfc8448.hpp"
#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {
namespace fs = std::filesystem;

CommandResult tlslab(const std::string& args) { return run(tlslabExe().string() + " " + args); }
bool has(const CommandResult& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

// The RFC 8448 §3 ClientHello as the client sent it, record header included.
Bytes clientHelloRecord() { return rfc8448::simple1Rtt().records.front().record; }

fs::path writeFile(const std::string& name, const std::string& content) {
  fs::path dir = binaryDir() / "explain_cli_test";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

TEST(ExplainCli, HexOnStdinAnnotatesARealClientHelloAndExitsZero) {
  fs::path f = writeFile("ch.hex", toHex(clientHelloRecord()));
  auto r = run("cat " + f.string() + " | " + tlslabExe().string() + " explain");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "content_type: 0x16 handshake")) << r.out;
  EXPECT_TRUE(has(r, "ClientHello: 0x01 client_hello")) << r.out;
  EXPECT_TRUE(has(r, "cipher_suite: 0x1301 TLS_AES_128_GCM_SHA256")) << r.out;
  EXPECT_TRUE(has(r, "group: 0x001d x25519")) << r.out;
  EXPECT_TRUE(has(r, "host_name: server")) << r.out;
  EXPECT_TRUE(has(r, "# 32 bytes the client chose at random")) << r.out;
  EXPECT_TRUE(has(r, "Next expected: ServerHello from the server")) << r.out;
}

TEST(ExplainCli, HexArgumentWithColonsSpacesAndNewlines) {
  std::string hex = toHex(clientHelloRecord(), ":");
  hex.insert(30, "\n  ");
  auto r = tlslab("explain --brief '" + hex + "'");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "legacy_version: 0x0303 TLS 1.2")) << r.out;
  EXPECT_FALSE(has(r, "# 32 bytes")) << "--brief leaves meanings out";
}

TEST(ExplainCli, HexFileAndRawBinaryFileGiveTheSameTree) {
  Bytes rec = clientHelloRecord();
  fs::path hexFile = writeFile("ch2.hex", toHex(rec, " "));
  fs::path binFile = writeFile("ch.bin", std::string(rec.begin(), rec.end()));
  auto a = tlslab("explain " + hexFile.string());
  auto b = tlslab("explain " + binFile.string());
  EXPECT_EQ(a.exitCode, 0) << a.out;
  EXPECT_EQ(b.exitCode, 0) << b.out;
  EXPECT_EQ(a.out, b.out);
}

TEST(ExplainCli, JsonIsTheSameTreeAsData) {
  auto r = tlslab("explain --json " + toHex(clientHelloRecord()));
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["records"].size(), 1u);
  const auto& ch = j["records"][0]["contents"][0];
  EXPECT_EQ(ch["name"], "ClientHello");
  EXPECT_EQ(ch["offset"], 5);
  EXPECT_EQ(ch["stream_offset"], 5);
  EXPECT_EQ(ch["kind"], "handshake");
  EXPECT_EQ(ch["children"][2]["name"], "legacy_version");
  EXPECT_EQ(ch["children"][2]["raw"], "0303");
  EXPECT_EQ(ch["children"][2]["rfc"], "RFC 8446 §4.1.2");
  EXPECT_TRUE(j["diagnostics"].empty());
}

TEST(ExplainCli, BareMessageWithCertificateShowsTheX509Breakdown) {
  auto r = tlslab("explain --message --brief " + toHex(rfc8448::simple1Rtt().certificate));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "certificate[0]: 432 byte(s) of DER")) << r.out;
  EXPECT_TRUE(has(r, "subject: CN=rsa")) << r.out;
  EXPECT_TRUE(has(r, "notAfter: 2026-07-30")) << r.out;
}

TEST(ExplainCli, TruncatedRecordPrintsTheTreeWithDiagnosticsAndExitsOne) {
  Bytes rec = clientHelloRecord();
  rec.resize(100);
  auto r = tlslab("explain " + toHex(rec));
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_TRUE(has(r, "stream ends inside a record")) << r.out;
  EXPECT_TRUE(has(r, "ClientHello")) << r.out;
  EXPECT_TRUE(has(r, "error: ")) << r.out;
}

TEST(ExplainCli, BadHexAndEmptyInputExitTwoWithAClearMessage) {
  auto bad = tlslab("explain 16030g");
  EXPECT_EQ(bad.exitCode, 2) << bad.out;
  EXPECT_TRUE(has(bad, "neither valid hex")) << bad.out;
  auto odd = tlslab("explain 160");
  EXPECT_EQ(odd.exitCode, 2) << odd.out;
  auto empty = run("printf '' | " + tlslabExe().string() + " explain");
  EXPECT_EQ(empty.exitCode, 2) << empty.out;
  EXPECT_TRUE(has(empty, "no input bytes")) << empty.out;
}

TEST(ExplainCli, HelpDocumentsTheExitCodes) {
  auto r = tlslab("explain --help");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(has(r, "1 = decoded, but error diagnostics were found")) << r.out;
  EXPECT_TRUE(has(r, "--message")) << r.out;
}

}  // namespace
}  // namespace tlslab::test
