// `tlslab follow --app` / `--json` (issue 18): the conformance captures'
// HTTP/2, a sample capture's HTTP/1.1, and real nginx + curl traffic captured
// here on lo with curl's key log: an HTTP/2 PUT with a body and a gzip
// response, and an HTTP/1.1 response in chunked coding with gzip.
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
bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
std::filesystem::path wireshark() { return conformanceDir() / "wireshark"; }

std::filesystem::path tempDir() {
  auto dir = std::filesystem::temp_directory_path() / ("tlslab-app-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

nlohmann::json followJson(const std::string& args) {
  auto r = run(cli("follow " + args + " --json -q 2>/dev/null"));
  EXPECT_EQ(r.exitCode, 0) << r.out.substr(0, 2000);
  return nlohmann::json::parse(r.out, nullptr, false);
}

const nlohmann::json* message(const nlohmann::json& doc, bool request, const std::string& startLine) {
  for (const auto& m : doc["application"]["messages"])
    if (m["request"] == request && (startLine.empty() || m["startLine"] == startLine)) return &m;
  return nullptr;
}

std::string header(const nlohmann::json& m, const std::string& name) {
  for (const auto& h : m["headers"])
    if (h["name"] == name) return h["value"];
  return "<absent>";
}

}  // namespace

TEST(FollowAppCli, ShowsHttp2HeadersAndThePngBodyOfTheConformanceCapture) {
  if (!std::filesystem::exists(wireshark() / "cases.tsv")) GTEST_SKIP() << "no conformance corpus";
  const std::string args = (wireshark() / "captures/http2-data-reassembly.pcap").string() + " 0 --keylog " +
                           (wireshark() / "keys/http2-data-reassembly.keys").string();
  auto text = run(cli("follow " + args + " --app -q"));
  EXPECT_EQ(text.exitCode, 0) << text.out.substr(0, 2000);
  EXPECT_TRUE(contains(text.out, "application protocol: HTTP/2 (ALPN h2)")) << text.out.substr(0, 3000);
  EXPECT_TRUE(contains(text.out, ":path: /wireshark.png"));
  EXPECT_TRUE(contains(text.out, "content-type: image/png"));
  EXPECT_TRUE(contains(text.out, "00000000  89 50 4e 47 0d 0a 1a 0a"));
  EXPECT_TRUE(contains(text.out, "SETTINGS"));
  const auto doc = followJson(args);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["application"]["protocol"], "HTTP/2");
  const auto* png = message(doc, false, "200");
  ASSERT_NE(png, nullptr);
  const std::string hex = (*png)["body"]["hex"];
  EXPECT_EQ(hex.substr(0, 16), "89504e470d0a1a0a");
  EXPECT_EQ(hex.substr(hex.size() - 24), "0000000049454e44ae426082");
}

TEST(FollowAppCli, WithoutAppTheOutputIsTheBytesAsBefore) {
  if (!std::filesystem::exists(wireshark() / "cases.tsv")) GTEST_SKIP() << "no conformance corpus";
  const std::string file = (wireshark() / "captures/http2-brotli.pcapng").string();
  auto plain = run(cli("follow " + file + " 0 -q"));
  EXPECT_FALSE(contains(plain.out, "application protocol")) << plain.out;
  EXPECT_TRUE(contains(plain.out, "--- client -> server (")) << plain.out;
  auto decoded = run(cli("follow " + file + " 0 --app -q"));
  EXPECT_TRUE(contains(decoded.out, "This is a test file for testing brotli decompression in Wireshark")) << decoded.out;
  EXPECT_TRUE(contains(decoded.out, "52 bytes, Content-Encoding br, 66 bytes decoded")) << decoded.out;
  EXPECT_NE(run(cli("follow " + file + " 0 --app --raw")).exitCode, 0) << "--raw and --app exclude each other";
}

TEST(FollowAppCli, Http11OfASampleCaptureIsDecoded) {
  auto r = run(cli("follow " + (sourceDir() / "captures/tls13-https-hello.pcapng").string() + " 0 --app -q"));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "application protocol: HTTP/1.1")) << r.out;
  EXPECT_TRUE(contains(r.out, "--- request · client -> server")) << r.out;
  EXPECT_TRUE(contains(r.out, "--- response · server -> client")) << r.out;
}

TEST(FollowAppCli, SmtpAfterStarttlsIsCommandAndReplyLines) {
  auto r = run(cli("follow " + (sourceDir() / "captures/starttls-smtp.pcapng").string() + " 0 --app -q"));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "application protocol: lines (SMTP after STARTTLS)")) << r.out;
  EXPECT_TRUE(contains(r.out, "\nC: AUTH PLAIN ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\nS: 235 ")) << r.out;
}

// nginx (HTTP/2 and HTTP/1.1 on one TLS port, a tlslab demo certificate, WebDAV
// PUT, gzip) and curl with SSLKEYLOGFILE, captured on lo by `tlslab capture`.
TEST(FollowAppCli, NginxAndCurlPutBodyAndGzipResponsesShowAsText) {
  if (::geteuid() != 0) GTEST_SKIP() << "live capture needs root";
  if (std::system("command -v nginx >/dev/null 2>&1 && command -v curl >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "nginx or curl not installed";
  const auto dir = tempDir();
  std::filesystem::create_directories(dir / "www/up");
  {
    std::ofstream page(dir / "www/page.txt");
    for (int i = 0; i < 40; ++i) page << "line " << i << ": hello from nginx, gzip makes this short\n";
    std::ofstream put(dir / "put.txt");
    put << "the body of a PUT, sent over HTTP/2\n";
  }
  const auto port = std::to_string(freeLoopbackPort());
  const std::string d = dir.string();
  {
    std::ofstream conf(dir / "nginx.conf");
    conf << "daemon off; master_process off; worker_processes 1; pid " << d << "/nginx.pid;\n"
         << "error_log " << d << "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
         << "  client_body_temp_path " << d << "/body; proxy_temp_path " << d << "/proxy; fastcgi_temp_path " << d
         << "/fcgi; uwsgi_temp_path " << d << "/uwsgi; scgi_temp_path " << d << "/scgi;\n"
         << "  types { text/plain txt; }\n  server {\n    listen 127.0.0.1:" << port << " ssl http2;\n"
         << "    ssl_certificate " << (sourceDir() / "certs/bank32-rsa/chain.pem").string() << ";\n"
         << "    ssl_certificate_key " << (sourceDir() / "certs/bank32-rsa/key.pem").string() << ";\n"
         << "    root " << d << "/www;\n    gzip on; gzip_min_length 1; gzip_types text/plain;\n"
         << "    location /up/ { dav_methods PUT; }\n  }\n}\n";
  }
  const auto pcap = dir / "nginx.pcapng", keylog = dir / "curl-keys.log";
  BackgroundProcess capture({tlslabExe().string(), "capture", "-i", "lo", "-f", "tcp port " + port, "--seconds", "6",
                             "-w", pcap.string(), "--keylog", keylog.string()});
  ASSERT_TRUE(capture.waitForOutput("capturing on lo", 10000)) << capture.output();
  BackgroundProcess nginx({"nginx", "-p", d, "-c", (dir / "nginx.conf").string()});
  ASSERT_TRUE(waitForListener(static_cast<std::uint16_t>(std::stoi(port)), 10000)) << nginx.output();
  const std::string curl = "SSLKEYLOGFILE=" + keylog.string() + " curl -sk --max-time 10 ";
  const std::string url = "https://127.0.0.1:" + port;
  auto put = run(curl + "--http2 --upload-file " + d + "/put.txt " + url + "/up/put.txt -o /dev/null -w '%{http_code}'");
  EXPECT_EQ(put.out, "201") << put.out;
  auto get2 = run(curl + "--http2 --compressed " + url + "/page.txt -o /dev/null -w '%{http_version}'");
  EXPECT_EQ(get2.out, "2");
  auto get1 = run(curl + "--http1.1 --compressed " + url + "/page.txt -o /dev/null -w '%{http_version}'");
  EXPECT_EQ(get1.out, "1.1");
  EXPECT_EQ(capture.wait(20000), 0) << capture.output();

  // Connection 0: the HTTP/2 PUT.
  const auto putDoc = followJson(pcap.string() + " 0");
  ASSERT_FALSE(putDoc.is_discarded());
  EXPECT_EQ(putDoc["application"]["selectedBy"], "ALPN h2");
  const auto* putReq = message(putDoc, true, "PUT /up/put.txt");
  ASSERT_NE(putReq, nullptr) << putDoc.dump(1).substr(0, 3000);
  EXPECT_EQ((*putReq)["body"]["text"], "the body of a PUT, sent over HTTP/2\n");
  EXPECT_EQ(header(*putReq, ":authority"), "127.0.0.1:" + port);
  const auto* created = message(putDoc, false, "201");
  ASSERT_NE(created, nullptr);
  // Connection 1: HTTP/2 GET, gzip response.
  auto text2 = run(cli("follow " + pcap.string() + " 1 --app -q"));
  EXPECT_TRUE(contains(text2.out, ":path: /page.txt")) << text2.out;
  EXPECT_TRUE(contains(text2.out, "content-encoding: gzip")) << text2.out;
  EXPECT_TRUE(contains(text2.out, "line 39: hello from nginx, gzip makes this short")) << text2.out;
  // Connection 2: HTTP/1.1, chunked and gzip.
  const auto doc1 = followJson(pcap.string() + " 2");
  EXPECT_EQ(doc1["application"]["protocol"], "HTTP/1.1");
  const auto* resp1 = message(doc1, false, "HTTP/1.1 200 OK");
  ASSERT_NE(resp1, nullptr) << doc1.dump(1).substr(0, 3000);
  EXPECT_EQ(header(*resp1, "Transfer-Encoding"), "chunked");
  EXPECT_EQ((*resp1)["body"]["contentEncoding"], "gzip");
  const std::string body = (*resp1)["body"]["text"];
  EXPECT_TRUE(body.starts_with("line 0: hello from nginx")) << body;
  EXPECT_TRUE(contains(body, "line 39: hello from nginx, gzip makes this short\n"));
  EXPECT_EQ((*resp1)["complete"], true);
  std::filesystem::remove_all(dir);
}
