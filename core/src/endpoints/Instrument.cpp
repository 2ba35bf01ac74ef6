#include "Instrument.hpp"

#include <openssl/evp.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

#include "tlslab/pki/Verify.hpp"

namespace tlslab::endpoints {

const char* verifyModeName(VerifyMode mode) {
  switch (mode) {
    case VerifyMode::None: return "none";
    case VerifyMode::ChainOnly: return "chain-only";
    case VerifyMode::IgnoreErrors: return "ignore-errors";
    case VerifyMode::ChainAndHost: return "correct";
    case VerifyMode::Pinned: return "pinned";
    default: return "unknown";
  }
}

const char* verifyModeDescription(VerifyMode mode) {
  switch (mode) {
    case VerifyMode::None: return "no verification at all";
    case VerifyMode::ChainOnly: return "chain checked, host name not checked";
    case VerifyMode::IgnoreErrors: return "errors logged but ignored (callback returns 1)";
    case VerifyMode::ChainAndHost: return "chain and host name checked, abort on failure";
    case VerifyMode::Pinned: return "chain and host name checked, and the server key must match the pin";
    default: return "unknown";
  }
}

namespace {

int instIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

Instrumentation* instOf(const SSL* ssl) {
  return static_cast<Instrumentation*>(SSL_get_ex_data(ssl, instIndex()));
}

Bytes copyBytes(const void* data, std::size_t len) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  return Bytes(p, p + len);
}

// Past the budget: note it once; from then on the wire tap ends every read
// (onWire) and nothing more is recorded.
bool overHandshakeBudget(int writeP, int contentType, Instrumentation& inst) {
  if (inst.overBudget) return true;
  if (writeP != 0 || contentType != SSL3_RT_HANDSHAKE) return false;
  if (++inst.handshakeMessagesReceived <= kHandshakeMessageBudget) return false;
  inst.overBudget = true;
  inst.recorder->record(NoteEvent{nowUs(), "stopped reading: the peer sent more than " +
                                               std::to_string(kHandshakeMessageBudget) + " handshake messages"});
  return true;
}

}  // namespace

std::string budgetError(const Instrumentation& inst, const char* peer) {
  if (inst.pastDeadline) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", inst.handshakeTimeoutMs / 1000.0);
    return std::string("stopped: the handshake with the ") + peer + " was not done within " + seconds +
           " s (its deadline; a peer sending a byte now and then is cut off here)";
  }
  if (!inst.overBudget) return {};
  return std::string("stopped: the ") + peer + " sent more than " + std::to_string(kHandshakeMessageBudget) +
         " handshake messages (a handshake has about ten; endless HelloRequests are an attack on the log)";
}

namespace {

void onMessage(int writeP, int version, int contentType, const void* buf, std::size_t len, SSL* ssl, void*) {
  auto* inst = instOf(ssl);
  if (inst == nullptr) return;
  if (overHandshakeBudget(writeP, contentType, *inst)) return;
  // libssl holds its own key share between writing it (ClientHello,
  // ServerHello, ServerKeyExchange) and using it; handshake messages are
  // where to look (EphemeralKeys.cpp says when each side frees it).
  if (contentType == SSL3_RT_HANDSHAKE) recordEphemeralKey(ssl, *inst);
  inst->recorder->record(MessageEvent{nowUs(), writeP != 0, version, contentType, copyBytes(buf, len)});
}

void onKeylog(const SSL* ssl, const char* line) {
  if (auto* inst = instOf(ssl)) inst->recorder->record(KeyLogEvent{nowUs(), line});
}

void onInfo(const SSL* ssl, int where, int ret) {
  auto* inst = instOf(ssl);
  if (inst == nullptr || inst->overBudget) return;
  if (where & SSL_CB_ALERT) {
    std::string what = (where & SSL_CB_READ) ? "alert received" : "alert sent";
    std::string text = std::string(SSL_alert_type_string_long(ret)) + " " + SSL_alert_desc_string_long(ret);
    inst->recorder->record(InfoEvent{nowUs(), what, text});
  } else if (where & SSL_CB_HANDSHAKE_START) {
    inst->recorder->record(InfoEvent{nowUs(), "handshake start", SSL_state_string_long(ssl)});
  } else if (where & SSL_CB_HANDSHAKE_DONE) {
    inst->recorder->record(InfoEvent{nowUs(), "handshake done", SSL_state_string_long(ssl)});
  } else if (where & SSL_CB_LOOP) {
    inst->recorder->record(InfoEvent{nowUs(), "state", SSL_state_string_long(ssl)});
  } else if ((where & SSL_CB_EXIT) && ret <= 0) {
    inst->recorder->record(InfoEvent{nowUs(), "waiting or failed", SSL_state_string_long(ssl)});
  }
}

// The policy of each mode, said in the words a student reads in the trace.
bool decide(VerifyMode mode, bool preverifyOk, std::string& why) {
  switch (mode) {
    case VerifyMode::None:
      why = "verification disabled: OpenSSL ignores the result";
      return true;
    case VerifyMode::IgnoreErrors:
      why = preverifyOk ? "OpenSSL accepted this certificate" : "error logged, callback returns 1 anyway";
      return true;
    case VerifyMode::ChainOnly:
    case VerifyMode::ChainAndHost:
    case VerifyMode::Pinned:
      why = preverifyOk ? "OpenSSL accepted this certificate" : "OpenSSL rejected it: the handshake aborts";
      return preverifyOk;
    default:
      why = "unknown mode";
      return preverifyOk;
  }
}

// The verdict a student reads: every callback call, one step per depth (the
// last word OpenSSL said about it), and the first error, where a correct
// client stops.
void noteInVerdict(model::VerifyVerdict& verdict, const model::VerifyStep& step) {
  verdict.events.push_back(step);
  auto sameDepth = [&](const model::VerifyStep& s) { return s.depth == step.depth; };
  if (auto it = std::find_if(verdict.steps.begin(), verdict.steps.end(), sameDepth); it != verdict.steps.end()) {
    if (it->ok) *it = step;  // keep an error once seen at this depth
  } else {
    verdict.steps.push_back(step);
  }
  std::sort(verdict.steps.begin(), verdict.steps.end(),
            [](const auto& a, const auto& b) { return a.depth < b.depth; });
  if (!step.ok && verdict.errorCode == 0) {
    verdict.errorCode = step.errorCode;
    verdict.errorName = step.errorName;
    verdict.errorText = step.errorText;
    verdict.errorDepth = step.depth;
  }
  verdict.ok = verdict.errorCode == 0;
}

int onVerify(int preverifyOk, X509_STORE_CTX* storeCtx) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(storeCtx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* inst = ssl ? instOf(ssl) : nullptr;
  if (inst == nullptr) return preverifyOk;
  model::VerifyStep step = pki::recordVerifyStep(storeCtx, preverifyOk);
  if (inst->verifyMode == VerifyMode::Pinned && step.depth == 0 && preverifyOk) {
    if (spkiSha256(X509_STORE_CTX_get_current_cert(storeCtx)) != inst->pinnedSpkiSha256) {
      // Our own check on top of OpenSSL's: reported like one of its errors.
      preverifyOk = 0;
      step.ok = false;
      step.errorCode = X509_V_ERR_APPLICATION_VERIFICATION;
      step.errorName = "PIN_MISMATCH";
      step.errorText = "the server's public key does not match the pinned key";
      X509_STORE_CTX_set_error(storeCtx, X509_V_ERR_APPLICATION_VERIFICATION);
    }
  }
  std::string why;
  bool accept = decide(inst->verifyMode, preverifyOk != 0, why);
  noteInVerdict(inst->verdict, step);
  inst->verdict.builtChain = pki::builtChainSteps(storeCtx);
  inst->recorder->record(VerifyEvent{nowUs(), step, preverifyOk != 0, accept, why,
                                     static_cast<int>(inst->verdict.builtChain.size())});
  return accept ? 1 : 0;
}

long onWire(BIO* bio, int oper, const char* argp, std::size_t, int, long, int ret, std::size_t* processed) {
  auto* inst = reinterpret_cast<Instrumentation*>(BIO_get_callback_arg(bio));
  if (inst != nullptr && oper == BIO_CB_READ && inst->handshakeDeadline != 0 && nowUs() > inst->handshakeDeadline) {
    inst->pastDeadline = true;
    return -1;  // before the read: libssl sees it fail and gives up the handshake
  }
  if (inst != nullptr && inst->overBudget && oper == (BIO_CB_READ | BIO_CB_RETURN)) {
    if (processed != nullptr) *processed = 0;
    return 0;  // the peer is cut off: libssl sees the end of the stream
  }
  if (inst == nullptr || ret <= 0 || processed == nullptr || *processed == 0) return ret;
  if (oper == (BIO_CB_READ | BIO_CB_RETURN))
    inst->recorder->record(WireEvent{nowUs(), false, copyBytes(argp, *processed)});
  else if (oper == (BIO_CB_WRITE | BIO_CB_RETURN))
    inst->recorder->record(WireEvent{nowUs(), true, copyBytes(argp, *processed)});
  return ret;
}

void tap(BIO* bio, Instrumentation* inst) {
  if (bio == nullptr) return;
  BIO_set_callback_ex(bio, onWire);
  BIO_set_callback_arg(bio, reinterpret_cast<char*>(inst));
}

}  // namespace

Bytes spkiSha256(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (len <= 0) return {};
  Bytes digest(32);
  unsigned int outLen = 0;
  EVP_Digest(der, static_cast<std::size_t>(len), digest.data(), &outLen, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  return digest;
}

void setHandshakeDeadline(Instrumentation& inst, int timeoutMs) {
  if (timeoutMs > 0) inst.handshakeTimeoutMs = timeoutMs;  // kept for the message after the end
  inst.handshakeDeadline = timeoutMs > 0 ? nowUs() + static_cast<TimeUs>(timeoutMs) * 1000 : 0;
}

void installKeylogHook(SSL_CTX* ctx) { SSL_CTX_set_keylog_callback(ctx, onKeylog); }

void instrument(SSL* ssl, Instrumentation* inst) {
  SSL_set_ex_data(ssl, instIndex(), inst);
  SSL_set_msg_callback(ssl, onMessage);
  SSL_set_info_callback(ssl, onInfo);
  BIO* rbio = SSL_get_rbio(ssl);
  BIO* wbio = SSL_get_wbio(ssl);
  tap(rbio, inst);
  if (wbio != rbio) tap(wbio, inst);
}

void applyVerifyMode(SSL* ssl, VerifyMode mode) {
  int flags = mode == VerifyMode::None ? SSL_VERIFY_NONE : SSL_VERIFY_PEER;
  SSL_set_verify(ssl, flags, onVerify);
}

}  // namespace tlslab::endpoints

namespace tlslab::endpoints {
void applyClientAuth(SSL* ssl, bool require) {
  SSL_set_verify(ssl, SSL_VERIFY_PEER | (require ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), onVerify);
}
}  // namespace tlslab::endpoints

#include <openssl/pem.h>

#include <cstdio>

#include "tlslab/endpoints/Pinning.hpp"

namespace tlslab::endpoints {
Bytes spkiPinOfPemFile(const std::filesystem::path& file) {
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(file.c_str(), "r"), &std::fclose);
  if (!in) return {};
  pki::X509Ptr cert(PEM_read_X509(in.get(), nullptr, nullptr, nullptr));
  return cert ? spkiSha256(cert.get()) : Bytes{};
}

Bytes spkiPinOfDer(const Bytes& der) {
  const unsigned char* p = der.data();
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  return cert ? spkiSha256(cert.get()) : Bytes{};
}
}  // namespace tlslab::endpoints
