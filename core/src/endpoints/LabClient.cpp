#include "tlslab/endpoints/LabClient.hpp"

#include <cerrno>

#include <openssl/x509v3.h>

#include "ClientSession.hpp"
#include "tlslab/pki/Pem.hpp"
#include "StarttlsClient.hpp"
#include "TamperBio.hpp"

namespace tlslab::endpoints {

namespace {

std::string setUpContext(SSL_CTX* ctx, const ClientConfig& config) {
  if (auto err = applyTlsOptions(ctx, config.tls); !err.empty()) return err;
  for (const auto& file : config.trustFiles)
    if (SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1)
      return "cannot load trust anchor " + file.string() + ": " + sslErrors();
  if (!config.trustDir.empty() && SSL_CTX_load_verify_locations(ctx, nullptr, config.trustDir.c_str()) != 1)
    return "cannot use trust directory " + config.trustDir.string() + ": " + sslErrors();
  for (const auto& file : config.crlFiles) {
    auto crl = pki::readCrl(file);
    if (!crl) return "cannot load CRL " + file.string() + ": " + crl.error();
    X509_STORE_add_crl(SSL_CTX_get_cert_store(ctx), crl->get());
  }
  if (!config.crlFiles.empty()) X509_STORE_set_flags(SSL_CTX_get_cert_store(ctx), X509_V_FLAG_CRL_CHECK);
  if (!config.clientCert.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, config.clientCert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, config.clientKey.c_str(), SSL_FILETYPE_PEM) != 1)
      return "cannot load client certificate " + config.clientCert.string() + ": " + sslErrors();
  }
  if (!config.tls.alpn.empty()) {
    std::string wire = alpnWire(config.tls.alpn);
    SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()), static_cast<unsigned>(wire.size()));
  }
  installKeylogHook(ctx);
  return {};
}

bool isIpLiteral(const std::string& host) { return host.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos; }

// `sslError`/`savedErrno`: SSL_get_error and errno right after the failed call.
std::string handshakeError(SSL* ssl, int sslError, int savedErrno, int timeoutMs) {
  long verifyResult = SSL_get_verify_result(ssl);
  std::string openssl = sslErrors();
  if (verifyResult != X509_V_OK)
    return "certificate verification failed: " + std::string(X509_verify_cert_error_string(verifyResult)) +
           (openssl.empty() ? "" : " (" + openssl + ")");
  return "handshake failed: " +
         (openssl.empty() ? quietHandshakeFailure(sslError, savedErrno, timeoutMs, "server") : openssl);
}

// Runs the Send/Expect steps; returns "" or what the server failed to say.
std::string runScript(const std::vector<ScriptStep>& script, Channel& channel, std::string& received) {
  std::size_t searchFrom = 0;
  std::uint8_t buffer[16384];
  for (const auto& step : script) {
    if (step.kind == ScriptStep::Kind::KeyUpdate) {
      if (!channel.keyUpdate()) return "KeyUpdate failed: " + channel.lastError();
      continue;
    }
    if (step.kind == ScriptStep::Kind::Renegotiate) {
      if (!channel.renegotiate()) return "renegotiation failed: " + channel.lastError();
      continue;
    }
    if (step.kind == ScriptStep::Kind::Send) {
      if (!channel.write(step.data)) {
        std::string error = "sending failed: " + channel.lastError();
        // A TLS 1.3 server judges the client's certificate after the client's
        // Finished: its refusal (an alert) may be waiting when the write fails.
        if (channel.read(buffer, sizeof(buffer)) < 0 && !channel.lastError().empty())
          error += "; then reading: " + channel.lastError();
        return error;
      }
      continue;
    }
    while (received.find(step.data, searchFrom) == std::string::npos) {
      long n = channel.read(buffer, sizeof(buffer));
      if (n <= 0) return "expected '" + step.data + "' but the server " + (n == 0 ? "closed the connection" : "failed: " + channel.lastError());
      received.append(reinterpret_cast<char*>(buffer), static_cast<std::size_t>(n));
    }
    searchFrom = received.find(step.data, searchFrom) + step.data.size();
  }
  return {};
}

// 0-RTT: written with the ClientHello, under the early traffic secret.
std::string sendEarlyData(SSL* ssl, const ClientConfig& config, Recorder& recorder) {
  if (config.earlyData.empty()) return {};
  if (!config.resume || SSL_SESSION_get_max_early_data(config.resume->session.get()) == 0)
    return "0-RTT needs a resumed session whose server allows early data";
  std::size_t written = 0;
  if (int rc = SSL_write_early_data(ssl, config.earlyData.data(), config.earlyData.size(), &written); rc != 1) {
    const int savedErrno = errno;
    return "sending early data failed: " + handshakeError(ssl, SSL_get_error(ssl, rc), savedErrno, config.ioTimeoutMs);
  }
  recorder.record(AppDataEvent{nowUs(), true, toBytes(config.earlyData.substr(0, written))});
  recorder.record(NoteEvent{nowUs(), "sent " + std::to_string(written) + " bytes of 0-RTT early data"});
  return {};
}

}  // namespace

std::string subjectLine(X509* cert) {
  pki::OsslDeleter<BIO_free> freeBio;
  std::unique_ptr<BIO, decltype(freeBio)> bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// The certificates the server sent, as far as the handshake got.
void peerChainOf(SSL* ssl, Negotiated& n) {
  n.peerChainSubjects.clear();
  n.peerChainDer.clear();
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl))
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      X509* cert = sk_X509_value(chain, i);
      n.peerChainSubjects.push_back(subjectLine(cert));
      unsigned char* der = nullptr;
      int len = i2d_X509(cert, &der);
      if (len > 0) n.peerChainDer.emplace_back(der, der + len);
      OPENSSL_free(der);
    }
}

Negotiated negotiatedOf(SSL* ssl) {
  Negotiated n;
  n.version = SSL_get_version(ssl);
  n.cipher = SSL_get_cipher_name(ssl);
  n.resumed = SSL_session_reused(ssl) == 1;
  const bool tls13 = SSL_version(ssl) == TLS1_3_VERSION;
  if (n.resumed) n.resumedBy = tls13 && hasExternalPsk(ssl) ? "an external PSK, no certificate" : tls13 ? "PSK" : SSL_SESSION_has_ticket(SSL_get0_session(ssl)) ? "ticket" : "session ID";
  // An abbreviated TLS 1.2 handshake exchanges no keys: OpenSSL still
  // reports the group the session was first made with (RFC 5246 §7.3).
  if (int group = SSL_get_negotiated_group(ssl); group != 0 && !(n.resumed && !tls13))
    if (const char* name = SSL_group_to_name(ssl, group)) n.group = name;
  const unsigned char* alpn = nullptr;
  unsigned alpnLen = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpnLen);
  n.alpn.assign(reinterpret_cast<const char*>(alpn), alpnLen);
  peerChainOf(ssl, n);
  return n;
}

std::string ClientSession::open(const ClientConfig& config, ClientRun& run) {
  auto address = config.resolver.resolve(config.host);
  if (!address) return "cannot resolve '" + config.host + "': not in the lab resolver (use --resolve NAME=ADDR)";
  run.address = *address;
  recorder_.record(
      NoteEvent{nowUs(), "resolved " + config.host + " to " + *address + " (lab resolver)", NoteKind::Resolved});
  conn_ = connectTo(*address, config.port, config.ioTimeoutMs, config.tcpMaxSegment);
  if (!conn_.fd) return conn_.error;
  run.connected = true;
  // The source address the kernel picked (a veth address in the --netns lab).
  run.peers = TcpPeers{localAddress(conn_.fd.get()), localPort(conn_.fd.get()), *address, config.port};
  inst_.verifyMode = config.verifyMode;
  inst_.pinnedSpkiSha256 = config.pinnedSpkiSha256;
  channel_ = std::make_unique<Channel>(conn_.fd.get(), nullptr, recorder_);
  channel_->setCleartextProtocol(!config.cleartextProtocol.empty() ? config.cleartextProtocol
                                                                   : starttlsProtocolName(config.starttls));
  if (config.starttls != Starttls::None) {
    bool offered = false;
    if (auto err = starttlsPreamble(config.starttls, *channel_, config.injectWithStarttls, offered); !err.empty())
      return std::string(starttlsName(config.starttls)) + " STARTTLS: " + err;
    if (!offered && config.starttlsRequired)
      return std::string(starttlsName(config.starttls)) +
             " STARTTLS: the server does not offer STARTTLS (stripped on the way?): refusing to go on without TLS";
    if (!offered) {
      recorder_.record(NoteEvent{nowUs(), "the server offers no STARTTLS: going on in CLEARTEXT (opportunistic)"});
      run.starttlsSkipped = true;
      return {};
    }
    recorder_.record(NoteEvent{nowUs(), std::string("server agreed to STARTTLS (") + starttlsName(config.starttls) + ")",
                               NoteKind::StarttlsAgreed});
  }
  if (!config.useTls) {
    channel_->tamperCleartext(config.tamper);
    return {};
  }
  ctx_.reset(SSL_CTX_new(TLS_client_method()));
  if (auto err = setUpContext(ctx_.get(), config); !err.empty()) return err;
  ssl_.reset(SSL_new(ctx_.get()));
  SSL* ssl = ssl_.get();
  SSL_set_fd(ssl, conn_.fd.get());
  instrument(ssl, &inst_);  // the tap sits on the socket: it records what really went out
  installTamper(ssl, config.tamper, recorder_);
  applyVerifyMode(ssl, config.verifyMode);
  std::string sni = config.sni.value_or(isIpLiteral(config.host) ? "" : config.host);
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl, sni.c_str());
  // Chain-only is the classic bug: the expected host name is never given to OpenSSL.
  if (config.verifyMode != VerifyMode::None && config.verifyMode != VerifyMode::ChainOnly)
    SSL_set1_host(ssl, config.host.c_str());
  if (!config.allowCnFallback) SSL_set_hostflags(ssl, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  if (config.resume) {
    SSL_SESSION* offered = config.resume->session.get();
    SSL_set_session(ssl, offered);
    if (SSL_SESSION_get_protocol_version(offered) == TLS1_3_VERSION) {
      unsigned char psk[EVP_MAX_MD_SIZE];
      const std::size_t n = SSL_SESSION_get_master_key(offered, psk, sizeof(psk));
      run.offeredPsk.assign(psk, psk + n);
    }
  }
  if (auto err = sendEarlyData(ssl, config, recorder_); !err.empty()) return err;
  setHandshakeDeadline(inst_, config.handshakeTimeoutMs);
  int rc = SSL_connect(ssl);
  const int savedErrno = errno;
  setHandshakeDeadline(inst_, 0);
  run.verify = inst_.verdict;
  if (rc != 1) {
    const int sslError = SSL_get_error(ssl, rc);
    peerChainOf(ssl, run.negotiated);  // what the client was shown before it gave up
    if (auto budget = budgetError(inst_, "server"); !budget.empty()) {
      sslErrors();  // the queue holds only the EOF the cut-off caused
      return budget;
    }
    return handshakeError(ssl, sslError, savedErrno, config.ioTimeoutMs);
  }
  run.negotiated = negotiatedOf(ssl);
  run.earlyDataAccepted = SSL_get_early_data_status(ssl) == SSL_EARLY_DATA_ACCEPTED;
  // Cleartext the server sent after its go-ahead must not be read as if protected.
  if (auto stray = channel_->startTls(ssl, false); !stray.empty())
    recorder_.record(NoteEvent{nowUs(), "discarded " + std::to_string(stray.size()) + " cleartext bytes sent after STARTTLS"});
  return {};
}

SessionHandle ClientSession::resumableSession() const {
  if (!ssl_) return nullptr;
  // TLS 1.3 tickets arrive after the handshake; the script's reads processed them.
  SSL_SESSION* session = SSL_get1_session(ssl_.get());
  if (session == nullptr) return nullptr;
  auto handle = std::make_shared<ResumableSession>();
  handle->session.reset(session);
  return SSL_SESSION_is_resumable(session) ? handle : nullptr;
}

ClientRun runClient(const ClientConfig& config, Observer observer) {
  ClientRun run;
  Recorder recorder(Role::Client, std::move(observer), config.window);
  ClientSession session(recorder);
  run.error = session.open(config, run);
  if (run.error.empty()) {
    run.handshakeOk = true;
    run.error = runScript(config.script, session.channel(), run.received);
    run.scriptOk = run.error.empty();
    session.channel().close();
    run.session = session.resumableSession();
  }
  run.events = recorder.events();
  run.dropped = recorder.dropped();
  return run;
}

}  // namespace tlslab::endpoints
