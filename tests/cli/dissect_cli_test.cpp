// `tlslab dissect`, `follow`, `export` and `capture` as a student runs them:
// the real binary on captures of real lab runs (and a live capture on lo).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }

std::filesystem::path temp(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("tlslab-dcli-" + std::to_string(::getpid()) + "-" + name);
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// A lab run (`tlslab serve` + `tlslab connect --pcapng`): a capture with the
// key log embedded, as `tlslab connect` writes it.
std::filesystem::path recordedRun(const std::string& name, const std::string& tlsVersion) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1"});
  EXPECT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  auto file = temp(name);
  auto client = run(cli("connect bank32.com:" + std::to_string(port) + " --tls " + tlsVersion + " --pcapng " +
                        file.string()));
  EXPECT_EQ(client.exitCode, 0) << client.out;
  return file;
}

}  // namespace

TEST(DissectCli, PrintsTheLadderKeyDerivationAndDecryptedHttp) {
  for (const std::string version : {"1.2", "1.3"}) {
    auto file = recordedRun("ladder-" + version + ".pcapng", version);
    auto result = run(cli("dissect " + file.string()));
    std::filesystem::remove(file);
    EXPECT_EQ(result.exitCode, 0) << result.out;
    EXPECT_TRUE(contains(result.out, "1 TLS connection(s)")) << result.out;
    EXPECT_TRUE(contains(result.out, "client -> server  Handshake         ClientHello")) << result.out;
    EXPECT_TRUE(contains(result.out, "client <- server  Handshake         ServerHello")) << result.out;
    EXPECT_TRUE(contains(result.out, "OK   server Finished check")) << result.out;
    EXPECT_TRUE(contains(result.out, "OK   client Finished check")) << result.out;
    EXPECT_TRUE(contains(result.out, "GET / HTTP/1.1")) << result.out;
    EXPECT_TRUE(contains(result.out, "<h1>Hello from bank32.com</h1>")) << result.out;
    EXPECT_TRUE(contains(result.out, "decryption: decrypted")) << result.out;
  }
}

TEST(DissectCli, JsonIsTheFullTrace) {
  auto file = recordedRun("json.pcapng", "1.3");
  auto result = run(cli("dissect --json " + file.string() + " 2>/dev/null"));
  std::filesystem::remove(file);
  ASSERT_EQ(result.exitCode, 0) << result.out;
  auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["connections"].size(), 1u);
  const auto& conn = json["connections"][0];
  EXPECT_EQ(conn["decryption"], "decrypted");
  EXPECT_EQ(conn["messages"][0]["name"], "ClientHello");
  EXPECT_FALSE(conn["records"][0]["header"]["children"].empty());
  EXPECT_FALSE(conn["appData"].empty());
}

TEST(DissectCli, FilterSelectsConnections) {
  auto file = recordedRun("filter.pcapng", "1.2");
  auto none = run(cli("dissect --summary --filter version:1.3 " + file.string()));
  auto some = run(cli("dissect --summary --filter version:1.2 --filter sni:bank32 " + file.string()));
  auto bad = run(cli("dissect --filter nonsense " + file.string()));
  std::filesystem::remove(file);
  EXPECT_TRUE(contains(none.out, "0 shown")) << none.out;
  EXPECT_TRUE(contains(some.out, "1 shown")) << some.out;
  EXPECT_EQ(bad.exitCode, 2);
}

TEST(DissectCli, UnreadableFilesExitTwoNamingTheFileAndTheProblem) {
  auto empty = temp("empty.pcap");
  std::ofstream(empty).close();
  auto text = temp("notes.pcap");
  std::ofstream(text) << "just some notes, renamed to .pcap\n";
  auto r1 = run(cli("dissect " + empty.string()));
  auto r2 = run(cli("dissect " + text.string()));
  auto r3 = run(cli("dissect /nonexistent/x.pcapng"));
  auto r4 = run(cli("dissect --keylog /nonexistent/keys.log " + text.string()));
  std::filesystem::remove(empty);
  std::filesystem::remove(text);
  EXPECT_EQ(r1.exitCode, 2);
  EXPECT_TRUE(contains(r1.out, empty.filename().string()) && contains(r1.out, "empty")) << r1.out;
  EXPECT_EQ(r2.exitCode, 2);
  EXPECT_TRUE(contains(r2.out, text.filename().string())) << r2.out;
  EXPECT_EQ(r3.exitCode, 2);
  EXPECT_TRUE(contains(r3.out, "/nonexistent/x.pcapng")) << r3.out;
  EXPECT_EQ(r4.exitCode, 2);
  EXPECT_TRUE(contains(r4.out, "keys.log")) << r4.out;
}

TEST(FollowCli, PrintsTheDecryptedStreamInBothDirections) {
  auto file = recordedRun("follow.pcapng", "1.3");
  auto result = run(cli("follow " + file.string() + " 0"));
  auto raw = run(cli("follow --raw " + file.string() + " 0"));
  auto outOfRange = run(cli("follow " + file.string() + " 7"));
  std::filesystem::remove(file);
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_TRUE(contains(result.out, "--- client -> server (")) << result.out;
  EXPECT_TRUE(contains(result.out, "--- server -> client (")) << result.out;
  EXPECT_TRUE(contains(result.out, "Hello from bank32.com")) << result.out;
  EXPECT_EQ(raw.out.rfind("GET / HTTP/1.1", 0), 0u) << raw.out;
  EXPECT_EQ(outOfRange.exitCode, 2);
  EXPECT_TRUE(contains(outOfRange.out, "has 1 TLS connection(s)")) << outOfRange.out;
}

// Live capture on lo while a lab run happens (we run as root here): the
// handshake is printed as it happens, its records are opened once the key log
// the run writes (half a second after its run, later than the capture's
// 100 ms delivery of the packets) is read, and that key log is embedded in the written pcapng, which tshark then opens
// decrypted. Without those secrets (editcap strips them), `tlslab export
// --keylog` puts them back.
TEST(CaptureCli, SeesTheHandshakeLiveAndWritesADecryptablePcapng) {
  auto port = freeLoopbackPort();
  auto raw = temp("live.pcapng"), stripped = temp("stripped.pcapng"), exported = temp("exported.pcapng"),
       keylog = temp("keys.log");
  BackgroundProcess capture({tlslabExe().string(), "capture", "-i", "lo", "-f", "tcp port " + std::to_string(port),
                             "--seconds", "6", "-w", raw.string(), "--keylog", keylog.string()});
  ASSERT_TRUE(capture.waitForOutput("capturing on lo", 10000)) << capture.output();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "2"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  for (const std::string version : {"1.2", "1.3"}) {
    auto client = run(cli("connect bank32.com:" + std::to_string(port) + " --tls " + version + " --send 'GET /live-" +
                          version + " HTTP/1.1\\r\\nHost: bank32.com\\r\\n\\r\\n' --keylog " + keylog.string() +
                          ".part && sleep 0.5 && cat " + keylog.string() + ".part >> " + keylog.string()));
    ASSERT_EQ(client.exitCode, 0) << client.out;
  }
  EXPECT_EQ(capture.wait(20000), 0) << capture.output();
  const std::string live = capture.output();
  EXPECT_TRUE(contains(live, "Handshake         ClientHello")) << live;
  EXPECT_TRUE(contains(live, "Handshake         ServerHello")) << live;
  EXPECT_TRUE(contains(live, "2 TLS connection(s)")) << live;
  EXPECT_TRUE(contains(live, "secrets embedded")) << live;
  // Each key log is written after its run: the records that passed without
  // keys are opened once the capture reads it.
  EXPECT_TRUE(contains(live, "connection 0: keys arrived, decrypted")) << live;
  EXPECT_TRUE(contains(live, "connection 1: keys arrived, decrypted")) << live;
  EXPECT_TRUE(contains(live, "Handshake         EncryptedExtensions")) << live;

  if (std::system("command -v tshark >/dev/null 2>&1 && command -v editcap >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "tshark/editcap not installed";
  }
  const std::string decode = " -d tcp.port==" + std::to_string(port) + ",tls";
  const std::string uris = " -Y http.request -T fields -e http.request.uri 2>/dev/null";
  auto written = run("tshark -r " + raw.string() + decode + uris);
  EXPECT_TRUE(contains(written.out, "/live-1.2") && contains(written.out, "/live-1.3")) << written.out;
  ASSERT_EQ(run("editcap --discard-all-secrets " + raw.string() + " " + stripped.string()).exitCode, 0);
  auto before = run("tshark -r " + stripped.string() + decode + uris);
  EXPECT_FALSE(contains(before.out, "/live-")) << before.out;
  auto exportRun = run(cli("export " + stripped.string() + " --keylog " + keylog.string() + " -o " + exported.string()));
  EXPECT_EQ(exportRun.exitCode, 0) << exportRun.out;
  EXPECT_TRUE(contains(exportRun.out, "secrets for 2 of 2 TLS connection(s) (1 TLS 1.3, 1 TLS 1.2 or older)"))
      << exportRun.out;
  auto after = run("tshark -r " + exported.string() + decode + uris);
  EXPECT_TRUE(contains(after.out, "/live-1.2")) << after.out;
  EXPECT_TRUE(contains(after.out, "/live-1.3")) << after.out;
  // And tlslab itself reads the exported file with no options.
  auto ours = run(cli("dissect --summary " + exported.string()));
  EXPECT_TRUE(contains(ours.out, "decrypted")) << ours.out;
  for (const auto& f : {raw, stripped, exported, keylog}) std::filesystem::remove(f);
  std::filesystem::remove(keylog.string() + ".part");
}

TEST(CaptureCli, WithoutPermissionSaysWhatIsNeeded) {
  if (std::system("command -v setpriv >/dev/null 2>&1") != 0) GTEST_SKIP() << "setpriv not installed";
  auto result = run("setpriv --bounding-set=-net_raw,-net_admin " + cli("capture -i lo -c 1"));
  EXPECT_NE(result.exitCode, 0);
  EXPECT_TRUE(contains(result.out, "root or the CAP_NET_RAW capability")) << result.out;
}

// RSA key exchange without a key log: the server's key recovers each session,
// and the export carries only the recovered master secrets, never the key.
TEST(ExportCli, RsaKeyExchangeExportsTheRecoveredMasterSecretNotTheKey) {
  if (std::system("command -v editcap >/dev/null 2>&1") != 0) GTEST_SKIP() << "editcap not installed";
  std::uint16_t port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1",
                            "--ciphers", "AES128-GCM-SHA256", "--tls", "1.2"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  auto file = temp("rsa.pcapng"), stripped = temp("rsa-nokeys.pcapng"), out = temp("rsa-export.pcapng");
  ASSERT_EQ(run(cli("connect bank32.com:" + std::to_string(port) + " --tls 1.2 --pcapng " + file.string())).exitCode, 0);
  ASSERT_EQ(run("editcap --discard-all-secrets " + file.string() + " " + stripped.string()).exitCode, 0);
  auto before = run(cli("dissect --summary " + stripped.string()));
  EXPECT_TRUE(contains(before.out, "no key for this client random")) << before.out;
  const auto key = (sourceDir() / "certs" / "bank32-rsa" / "key.pem").string();
  auto result = run(cli("export " + stripped.string() + " --rsa-key " + key + " -o " + out.string()));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  auto ours = run(cli("dissect " + out.string()));
  EXPECT_TRUE(contains(ours.out, "Hello from bank32.com")) << ours.out;
  auto shark = run("tshark -r " + out.string() + " -d tcp.port==" + std::to_string(port) +
                   ",tls -Y http.request -T fields -e http.request.uri 2>/dev/null");
  EXPECT_TRUE(contains(shark.out, "/")) << shark.out;
  for (const auto& f : {file, stripped, out}) std::filesystem::remove(f);
}

// The sample captures in captures/ (`tlslab captures regenerate`): each opens
// decrypted with no options and shows its ladder and its plaintext.
TEST(SampleCaptures, EachPrintsTheLadderAndDecryptedData) {
  const auto dir = sourceDir() / "captures";
  const std::vector<std::pair<std::string, std::string>> samples = {
      {"tls13-https-hello.pcapng", "Hello from bank32.com"},
      {"tls12-ecdhe.pcapng", "Hello from bank32.com"},
      {"tls12-rsa.pcapng", "Hello from bank32.com"},
      {"starttls-smtp.pcapng", "AUTH PLAIN"}};
  for (const auto& [name, plaintext] : samples) {
    const auto file = dir / name;
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_LT(std::filesystem::file_size(file), 50u * 1024) << name;
    auto result = run(cli("dissect " + file.string()));
    EXPECT_EQ(result.exitCode, 0) << result.out;
    EXPECT_TRUE(contains(result.out, "ClientHello")) << name;
    EXPECT_TRUE(contains(result.out, "decryption: decrypted")) << name << result.out;
    EXPECT_TRUE(contains(result.out, plaintext)) << name << result.out;
  }
}

// A device, a directory or a file of garbage given as a key file: refused
// (exit 2, naming the file and why) or read with a bounded list of warnings.
TEST(DissectCli, KeyFilesThatAreNotFilesAreRefusedByNameWithExitTwo) {
  const std::string capture = (sourceDir() / "captures" / "tls13-https-hello.pcapng").string();
  auto zero = run(cli("dissect " + capture + " --keylog /dev/zero"));
  EXPECT_EQ(zero.exitCode, 2) << zero.out;
  EXPECT_TRUE(contains(zero.out, "cannot read key log '/dev/zero': /dev/zero is not a regular file")) << zero.out;
  const auto dir = std::filesystem::temp_directory_path();
  auto folder = run(cli("dissect " + capture + " --keylog " + dir.string()));
  EXPECT_EQ(folder.exitCode, 2) << folder.out;
  EXPECT_TRUE(contains(folder.out, "is a directory, not a key file")) << folder.out;
  auto rsa = run(cli("dissect " + capture + " --rsa-key /dev/zero"));
  EXPECT_EQ(rsa.exitCode, 2) << rsa.out;
  EXPECT_TRUE(contains(rsa.out, "cannot load RSA key '/dev/zero': /dev/zero is not a regular file")) << rsa.out;
  const auto noisy = temp("noisy.log");
  {
    std::ofstream out(noisy);
    for (int i = 0; i < 3000; ++i) out << "garbage " << i << "\n";
  }
  auto warned = run(cli("dissect " + capture + " --summary --keylog " + noisy.string()));
  EXPECT_EQ(warned.exitCode, 0) << warned.out;
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = warned.out.find("noisy.log", at)) != std::string::npos; ++at) ++lines;
  EXPECT_LE(lines, 22u) << warned.out;
  EXPECT_TRUE(contains(warned.out, "3000 of 3000 lines were not usable key log lines")) << warned.out;
  std::filesystem::remove(noisy);
}

// A capture that breaks off in a damaged block: what came before is shown,
// the damage named, and the exit status (3) says the file was read in part.
TEST(DissectCli, ACaptureReadOnlyInPartExitsThreeAndSaysWhere) {
  const auto whole = sourceDir() / "captures" / "tls12-ecdhe.pcapng";
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 3000u);
  const auto broken = temp("broken.pcapng");
  std::ofstream(broken, std::ios::binary) << bytes.substr(0, 3000) << std::string("\x01\x00\x00\x00\xff\xff\xff\x7f", 8);
  auto result = run(cli("dissect " + broken.string() + " --summary"));
  EXPECT_EQ(result.exitCode, 3) << result.out;
  EXPECT_TRUE(contains(result.out, "1 TLS connection(s)")) << result.out;
  EXPECT_TRUE(contains(result.out, "was read only in part: reading stopped after frame")) << result.out;
  EXPECT_EQ(run(cli("dissect " + whole.string() + " --summary")).exitCode, 0);
  EXPECT_TRUE(contains(run(cli("dissect --help")).out, "3 the capture could be read only up to an error"));
  // follow and export say the same with the same code.
  const auto followed = run(cli("follow " + broken.string() + " 0 -q"));
  EXPECT_EQ(followed.exitCode, 3) << followed.out;
  EXPECT_EQ(run(cli("follow " + whole.string() + " 0 -q")).exitCode, 0);
  const auto exported = temp("broken-export.pcapng");
  const auto written = run(cli("export " + broken.string() + " -o " + exported.string() + " -q"));
  EXPECT_EQ(written.exitCode, 3) << written.out;
  EXPECT_TRUE(contains(written.out, "wrote ")) << "what came before the damage is exported: " << written.out;
  EXPECT_TRUE(contains(run(cli("follow --help")).out, "3 the capture could be read only up to an error"));
  EXPECT_TRUE(contains(run(cli("export --help")).out, "3 the capture could be read only up to an error"));
  std::filesystem::remove(exported);
  std::filesystem::remove(broken);
}
