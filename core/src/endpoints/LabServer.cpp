#include "tlslab/endpoints/LabServer.hpp"

#include <cerrno>

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <list>
#include <mutex>
#include <thread>
#include <utility>

#include "Channel.hpp"
#include "ClientSession.hpp"
#include "Instrument.hpp"
#include "Ossl.hpp"
#include "Relay.hpp"
#include "ServerIdentity.hpp"
#include "Services.hpp"
#include "Workers.hpp"
#include "Socket.hpp"

namespace tlslab::endpoints {

namespace {

int selectAlpn(SSL*, const unsigned char** out, unsigned char* outLen, const unsigned char* in, unsigned int inLen,
               void* arg) {
  const auto* ours = static_cast<const std::string*>(arg);
  unsigned char* selected = nullptr;
  // Server preference order (RFC 7301 §3.2); no overlap = no ALPN rather than an alert.
  if (SSL_select_next_proto(&selected, outLen, reinterpret_cast<const unsigned char*>(ours->data()),
                            static_cast<unsigned>(ours->size()), in, inLen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// RFC 8446 §4.2.10: early data is read before the handshake completes; a
// server that did not accept it (no PSK, replay) simply gets none. The
// application takes each piece as it arrives — what 0-RTT is for, and why a
// replayed flight reaches it even though the replayer can never finish the
// handshake (RFC 8446 §8) — so it is recorded here, not after SSL_accept.
bool readEarlyData(SSL* ssl, std::string& out, Recorder& recorder) {
  char buffer[4096];
  for (;;) {
    std::size_t n = 0;
    int rc = SSL_read_early_data(ssl, buffer, sizeof(buffer), &n);
    if (rc == SSL_READ_EARLY_DATA_ERROR) return false;
    if (n > 0) {
      out.append(buffer, n);
      recorder.record(AppDataEvent{nowUs(), false, Bytes(buffer, buffer + n)});
      recorder.record(NoteEvent{nowUs(), "the application took " + std::to_string(n) +
                                             " bytes of 0-RTT early data, before the handshake completed"});
    }
    if (rc == SSL_READ_EARLY_DATA_FINISH) return true;
  }
}

const char* earlyDataStatusName(SSL* ssl) {
  switch (SSL_get_early_data_status(ssl)) {
    case SSL_EARLY_DATA_ACCEPTED: return "accepted";
    case SSL_EARLY_DATA_REJECTED: return "rejected";
    case SSL_EARLY_DATA_NOT_SENT:
    default: return "";
  }
}

// What a service's bytes are before (or without) TLS, for the trace.
const char* cleartextProtocol(Service service) {
  switch (service) {
    case Service::HttpsHello: return "HTTP";
    case Service::Smtp: return "SMTP";
    case Service::Pop3: return "POP3";
    case Service::Imap: return "IMAP";
    case Service::Echo:
    case Service::Relay:
    default: return "TCP";
  }
}

}  // namespace

struct LabServer::Impl {
  ServerConfig config;
  Observer observer;
  SslCtxPtr ctx;
  Fd listenFd;
  std::uint16_t port = 0;
  std::string alpnProtocols;  // wire form, outlives the SSL_CTX callback
  std::atomic<bool> running{true};
  std::thread acceptThread;

  struct Worker {
    std::thread thread;
    int fd = -1;
    std::atomic<bool> done{false};
  };
  mutable std::mutex mutex;
  std::list<Worker> workers;
  std::vector<ServerConnection> finished;  // not taken yet
  std::size_t finishedTotal = 0;

  std::string setUpTls();
  void acceptLoop();
  void serve(Fd fd, Worker* worker);
  std::string handshake(int fd, SslPtr& ssl, Instrumentation& inst, ServerConnection* early);
  void reapFinishedWorkers();
};

std::string LabServer::Impl::setUpTls() {
  ctx.reset(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return "SSL_CTX_new failed: " + sslErrors();
  if (auto err = applyTlsOptions(ctx.get(), config.tls); !err.empty()) return err;
  if (config.securityLevel >= 0) SSL_CTX_set_security_level(ctx.get(), config.securityLevel);
  // DHE suites need group parameters; without this a DHE-only client gets a bare handshake_failure.
  SSL_CTX_set_dh_auto(ctx.get(), 1);
  if (auto err = loadServerIdentity(ctx.get(), config); !err.empty()) return err;
  if (config.clientAuth != ClientAuth::None) {
    if (auto err = loadClientCa(ctx.get(), config.clientCaFile); !err.empty()) return err;
  }
  static const unsigned char kSessionContext[] = "tlslab";
  SSL_CTX_set_session_id_context(ctx.get(), kSessionContext, sizeof(kSessionContext) - 1);
  SSL_CTX_set_session_cache_mode(ctx.get(), config.sessionCache ? SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
  // OpenSSL's default holds 20 480 sessions (a KiB or more each) before it
  // evicts any: a server's memory would grow for its first 20 000 clients.
  SSL_CTX_sess_set_cache_size(ctx.get(), 1024);
  if (!config.tickets) SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  if (config.allowClientRenegotiation) SSL_CTX_set_options(ctx.get(), SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
  if (config.maxEarlyData > 0) {
    SSL_CTX_set_max_early_data(ctx.get(), config.maxEarlyData);
    SSL_CTX_set_recv_max_early_data(ctx.get(), config.maxEarlyData);
  }
  if (!config.antiReplay) SSL_CTX_set_options(ctx.get(), SSL_OP_NO_ANTI_REPLAY);
  if (!config.tls.alpn.empty()) {
    alpnProtocols = endpoints::alpnWire(config.tls.alpn);
    SSL_CTX_set_alpn_select_cb(ctx.get(), selectAlpn, &alpnProtocols);
  }
  installKeylogHook(ctx.get());
  return {};
}

void LabServer::Impl::acceptLoop() {
  using namespace std::chrono_literals;
  bool saidFull = false, saidNoDescriptors = false;
  auto note = [this](const std::string& text) {
    if (observer) observer(config.role, NoteEvent{nowUs(), text});
  };
  while (running) {
    {
      // Full: wait for a connection to end instead of starting one more thread.
      std::unique_lock lock(mutex);
      reapFinishedWorkers();
      if (workers.size() >= std::max<std::size_t>(config.maxConnections, 1)) {
        if (!saidFull)
          note("serving " + std::to_string(workers.size()) + " connections, the most at once: new ones wait");
        saidFull = true;
        lock.unlock();
        std::this_thread::sleep_for(20ms);
        continue;
      }
      saidFull = false;
    }
    int fd = ::accept4(listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (!running) break;
      if (std::string why = backOffAfterAcceptError(errno); !why.empty()) {
        if (!saidNoDescriptors) note(why);
        saidNoDescriptors = true;
      }
      continue;  // EINTR, ECONNABORTED: keep serving
    }
    saidNoDescriptors = false;
    std::lock_guard lock(mutex);
    Worker& worker = workers.emplace_back();
    worker.fd = fd;
    worker.thread = std::thread([this, fd, &worker] { serve(Fd(fd), &worker); });
  }
}

void LabServer::Impl::reapFinishedWorkers() { joinFinishedWorkers(workers); }

// The TLS handshake on `fd`; "" on success. Used up front (with 0-RTT into
// `early`), or on STARTTLS (`early` null: the session is new).
std::string LabServer::Impl::handshake(int fd, SslPtr& ssl, Instrumentation& inst, ServerConnection* early) {
  ssl.reset(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  instrument(ssl.get(), &inst);
  if (config.clientAuth != ClientAuth::None) applyClientAuth(ssl.get(), config.clientAuth == ClientAuth::Require);
  if (config.maxEarlyData > 0 && early != nullptr) {
    const bool read = readEarlyData(ssl.get(), early->earlyData, *inst.recorder);
    early->earlyDataStatus = earlyDataStatusName(ssl.get());
    if (!read) {
      std::string why = sslErrors();
      return "handshake failed after the 0-RTT data: " + (why.empty() ? std::string("the client closed the connection") : why);
    }
  }
  setHandshakeDeadline(inst, config.handshakeTimeoutMs);
  const int rc = SSL_accept(ssl.get());
  const int savedErrno = errno;
  setHandshakeDeadline(inst, 0);
  if (rc == 1) return {};
  const int sslError = SSL_get_error(ssl.get(), rc);
  std::string why = sslErrors();
  if (auto budget = budgetError(inst, "client"); !budget.empty()) return budget;
  return "handshake failed: " +
         (why.empty() ? quietHandshakeFailure(sslError, savedErrno, config.ioTimeoutMs, "client") : why);
}

void LabServer::Impl::serve(Fd fd, Worker* worker) {
  Recorder recorder(config.role, observer, config.window);
  ServerConnection result;
  result.peer = peerName(fd.get());
  setIoTimeout(fd.get(), config.ioTimeoutMs);
  setNoDelay(fd.get());
  Instrumentation inst;
  inst.recorder = &recorder;
  inst.verifyMode = VerifyMode::ChainOnly;  // client certificates have no host name to check
  SslPtr ssl;
  bool upFrontTls = config.useTls && !isStarttlsService(config.service);
  if (upFrontTls) {
    result.error = handshake(fd.get(), ssl, inst, &result);
    result.clientVerify = inst.verdict;
    if (result.error.empty()) {
      result.negotiated = negotiatedOf(ssl.get());
      if (X509* client = SSL_get0_peer_certificate(ssl.get())) result.clientCertificate = subjectLine(client);
    }
  }
  if (result.earlyDataStatus == "rejected")
    recorder.record(NoteEvent{nowUs(), "rejected the 0-RTT early data (" +
                                           std::string(config.antiReplay ? "anti-replay: the ticket was not in the session "
                                                                           "cache, used already or never issued by this server"
                                                                         : "the PSK was not accepted") +
                                           "); the handshake goes on without it"});
  result.handshakeOk = result.error.empty();
  if (result.handshakeOk) {
    Channel channel(fd.get(), ssl.get(), recorder);
    channel.setCleartextProtocol(cleartextProtocol(config.service));
    // The service answers the early request first, as if it had come inside the handshake's keys.
    if (!result.earlyData.empty()) channel.preload(result.earlyData);
    ServiceContext context{channel, config.siteName, {}, config.starttlsInjectionBug, 0,
                           [&recorder](const std::string& text) { recorder.record(NoteEvent{nowUs(), text}); },
                           config.pageNote, config.httpCloseAfterResponse, config.readBufferSize};
    context.startTls = [&]() -> std::string {
      if (!config.useTls) return "STARTTLS refused: this server runs without TLS";
      if (auto err = handshake(fd.get(), ssl, inst, nullptr); !err.empty()) return err;
      std::string injected = channel.startTls(ssl.get(), config.starttlsInjectionBug);
      if (!injected.empty())
        context.note(config.starttlsInjectionBug
                         ? "STARTTLS bug: " + std::to_string(injected.size()) +
                               " plaintext bytes sent before the handshake will be treated as if protected"
                         : "discarded " + std::to_string(injected.size()) +
                               " plaintext bytes that arrived with STARTTLS (possible command injection)");
      if (config.starttlsInjectionBug) context.injectedBytes = injected.size();
      return {};
    };
    if (config.service == Service::Relay) {
      Recorder upstream(Role::ProxyBack, observer, config.relay.window);
      result.error = runRelay(channel, fd.get(), config.relay, upstream, result.upstream);
    } else {
      result.error = runService(config.service, context);
    }
    if (!upFrontTls && config.useTls) result.handshakeOk = ssl && SSL_is_init_finished(ssl.get());
    channel.close();
  }
  ssl.reset();
  result.events = recorder.events();
  result.dropped = recorder.dropped();
  {
    std::lock_guard lock(mutex);
    worker->fd = -1;
    finished.push_back(std::move(result));
    ++finishedTotal;
  }
  worker->done = true;
}

pki::Result<std::unique_ptr<LabServer>> LabServer::start(const ServerConfig& config, Observer observer) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->observer = std::move(observer);
  if (config.useTls) {
    if (auto err = impl->setUpTls(); !err.empty()) return pki::Result<std::unique_ptr<LabServer>>::failure(err);
  }
  Listener listener = listenOn(config.address, config.port);
  if (!listener.fd) return pki::Result<std::unique_ptr<LabServer>>::failure(listener.error);
  impl->listenFd = std::move(listener.fd);
  impl->port = listener.port;
  Impl* raw = impl.get();
  impl->acceptThread = std::thread([raw] { raw->acceptLoop(); });
  return pki::Result<std::unique_ptr<LabServer>>::success(std::unique_ptr<LabServer>(new LabServer(std::move(impl))));
}

LabServer::LabServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LabServer::~LabServer() { stop(); }

std::uint16_t LabServer::port() const { return impl_->port; }
const std::string& LabServer::address() const { return impl_->config.address; }

void LabServer::stop() {
  if (!impl_->running.exchange(false)) return;
  // shutdown() wakes the blocked accept() and every blocked read.
  ::shutdown(impl_->listenFd.get(), SHUT_RDWR);
  if (impl_->acceptThread.joinable()) impl_->acceptThread.join();
  std::list<Impl::Worker> workers;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& w : impl_->workers)
      if (w.fd >= 0) ::shutdown(w.fd, SHUT_RDWR);
    workers.swap(impl_->workers);
  }
  for (auto& w : workers) w.thread.join();
  impl_->listenFd = Fd{};
}

std::vector<ServerConnection> LabServer::finishedConnections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->finished;
}

std::size_t LabServer::finishedCount() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->finishedTotal;
}

std::vector<ServerConnection> LabServer::takeFinished() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->finished, {});
}

LabServer::Retained LabServer::retained() const {
  std::lock_guard lock(impl_->mutex);
  Retained total;
  auto add = [&total](const std::vector<Event>& events) {
    total.events += events.size();
    for (const auto& event : events) total.payloadBytes += payloadBytes(event);
  };
  for (const auto& connection : impl_->finished) {
    add(connection.events);
    add(connection.upstream.events);
  }
  return total;
}

std::size_t LabServer::activeConnections() const {
  std::lock_guard lock(impl_->mutex);
  std::size_t active = 0;
  for (const auto& w : impl_->workers) active += w.done ? 0 : 1;
  return active;
}

}  // namespace tlslab::endpoints
