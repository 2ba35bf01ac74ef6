// Handshakes per second for the instrumented lab endpoints versus the same
// OpenSSL configuration without any instrumentation, in one run (goal: >= 85 %),
// and LabServer's capacity for many clients at once. scripts/bench.sh prints
// the ratio of each "<case>/instrumented" to "<case>/plain".
#include <benchmark/benchmark.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/util/Paths.hpp"

using namespace tlslab::endpoints;

namespace {

std::filesystem::path certs() { return tlslab::certsDir(); }

TlsVersion versionOf(int v) { return v == 13 ? TlsVersion::Tls1_3 : TlsVersion::Tls1_2; }
int opensslVersionOf(int v) { return v == 13 ? TLS1_3_VERSION : TLS1_2_VERSION; }
// The lab endpoints disable Nagle; so does the baseline, to compare like with like.
void noDelay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

void instrumented(benchmark::State& state, int version) {
  ServerConfig server;
  server.chainFile = certs() / "bank32-ecdsa" / "chain.pem";
  server.keyFile = certs() / "bank32-ecdsa" / "key.pem";
  server.service = Service::Echo;
  server.tls.minVersion = server.tls.maxVersion = versionOf(version);
  server.tickets = false;
  auto started = LabServer::start(server);
  ClientConfig client;
  client.port = (*started)->port();
  client.tls = server.tls;
  client.trustFiles = {certs() / "root-ca" / "cert.pem"};
  client.script = {ScriptStep::send("x"), ScriptStep::expect("x")};
  for (auto _ : state) {
    if (!runClient(client).scriptOk) state.SkipWithError("handshake failed");
  }
  state.SetItemsProcessed(state.iterations());
}

// The same work with bare OpenSSL: thread per connection, verify peer + host.
struct PlainServer {
  SSL_CTX* ctx = nullptr;
  int fd = -1;
  std::uint16_t port = 0;
  std::thread acceptor;
  std::atomic<bool> running{true};
  std::vector<std::thread> workers;

  explicit PlainServer(int version) {
    ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_use_certificate_chain_file(ctx, (certs() / "bank32-ecdsa" / "chain.pem").c_str());
    SSL_CTX_use_PrivateKey_file(ctx, (certs() / "bank32-ecdsa" / "key.pem").c_str(), SSL_FILETYPE_PEM);
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd, 512);
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    acceptor = std::thread([this] {
      while (running) {
        int c = ::accept(fd, nullptr, nullptr);
        if (c < 0) break;
        noDelay(c);
        workers.emplace_back([this, c] {
          SSL* ssl = SSL_new(ctx);
          SSL_set_fd(ssl, c);
          char byte = 0;
          if (SSL_accept(ssl) == 1 && SSL_read(ssl, &byte, 1) == 1) SSL_write(ssl, &byte, 1);
          SSL_shutdown(ssl);
          SSL_free(ssl);
          ::close(c);
        });
      }
    });
  }
  ~PlainServer() {
    running = false;
    ::shutdown(fd, SHUT_RDWR);
    acceptor.join();
    for (auto& w : workers) w.join();
    ::close(fd);
    SSL_CTX_free(ctx);
  }
};

// A lab run builds its client SSL_CTX afresh (each run's settings stand
// alone), and SSL_CTX_new + loading the trust store is a large share of a
// loopback handshake in OpenSSL 3; the baseline does the same per connection
// so the ratio measures the instrumentation hooks, not context setup.
void plain(benchmark::State& state, int tlsVersion) {
  int version = opensslVersionOf(tlsVersion);
  PlainServer server(version);
  for (auto _ : state) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    SSL_CTX_load_verify_locations(ctx, (certs() / "root-ca" / "cert.pem").c_str(), nullptr);
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    noDelay(fd);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    SSL_set1_host(ssl, "bank32.com");
    SSL_set_tlsext_host_name(ssl, "bank32.com");
    char byte = 'x';
    if (SSL_connect(ssl) != 1 || SSL_write(ssl, &byte, 1) != 1 || SSL_read(ssl, &byte, 1) != 1)
      state.SkipWithError("handshake failed");
    SSL_shutdown(ssl);
    SSL_free(ssl);
    ::close(fd);
    SSL_CTX_free(ctx);
  }
  state.SetItemsProcessed(state.iterations());
}

// Many clients at once: every one must complete.
void concurrentClients(benchmark::State& state) {
  ServerConfig server;
  server.chainFile = certs() / "bank32-ecdsa" / "chain.pem";
  server.keyFile = certs() / "bank32-ecdsa" / "key.pem";
  server.service = Service::Echo;
  server.ioTimeoutMs = 30000;
  auto started = LabServer::start(server);
  const int clients = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&] {
        ClientConfig client;
        client.port = (*started)->port();
        client.trustFiles = {certs() / "root-ca" / "cert.pem"};
        client.ioTimeoutMs = 30000;
        client.script = {ScriptStep::send("x"), ScriptStep::expect("x")};
        if (runClient(client).scriptOk) ++ok;
      });
    }
    for (auto& t : threads) t.join();
    state.counters["completed"] = ok.load();
    state.counters["failed"] = clients - ok.load();
  }
}

}  // namespace

// Names "<case>/instrumented" and "<case>/plain" let scripts/bench.sh pair them.
const bool registered = [] {
  for (int version : {12, 13}) {
    std::string base = "handshake_tls" + std::to_string(version);
    benchmark::RegisterBenchmark((base + "/instrumented").c_str(), instrumented, version)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark((base + "/plain").c_str(), plain, version)->Unit(benchmark::kMillisecond)->UseRealTime();
  }
  benchmark::RegisterBenchmark("concurrent_clients", concurrentClients)
      ->Arg(500)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
  return true;
}();

