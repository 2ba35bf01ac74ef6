// Lab 12's captures, made for one student, and the answers read off them:
// every value is recomputed from the student's own files, and a file that is
// not theirs (another student's early data) is refused before it is judged.
#include "Lab12Checks.hpp"

#include <fstream>
#include <sstream>

#include "CheckHelpers.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/Tls13Binder.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course::lab12 {

namespace {

namespace fs = std::filesystem;

std::string writeFile(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  return out ? "" : "cannot write " + file.string();
}

std::string saveRun(const MaterialsEnv& env, scenarios::PairLab lab, scenarios::PairLabOptions options,
                    const char* name, std::string* psk = nullptr) {
  options.certsDir = env.certsDir;
  scenarios::PairLabRun run = scenarios::runPairLab(lab, options);
  if (!run.ok()) return std::string(name) + ": the run failed: " + (run.setupError.empty() ? run.runs.back().error : run.setupError);
  const scenarios::RunTrace traced = scenarios::traceOfRun(run.legs(), name);
  if (!traced.error.empty() || !traced.selfCheckOk()) return std::string(name) + ": the run's capture does not check: " + traced.error;
  if (psk) *psk = toHex(run.runs.back().offeredPsk) + "\n";
  env.say(std::string(name) + ": " + std::to_string(traced.trace.connections.size()) + " connection(s)");
  return writeFile(env.workspace / name, traced.pcapng);
}

// The student's capture, dissected with the keys inside it; "" or what is wrong.
std::string readCapture(const CheckEnv& env, const char* name, model::Trace& trace) {
  const fs::path file = env.workspace / name;
  if (env.workspace.empty() || !fs::is_regular_file(file)) return std::string(name) + " is not in your workspace";
  keys::KeyStore keys;
  auto read = dissect::dissectFile(file, keys);
  if (!read) return "cannot read " + std::string(name) + ": " + read.error().message();
  trace = std::move(read.value());
  return {};
}

Bytes clientBytes(const model::TraceConnection& conn) {
  Bytes out;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) out.insert(out.end(), chunk.data.begin(), chunk.data.end());
  return out;
}

// resumption.pcapng, with the check that it is this student's: connection 1
// must open with their 0-RTT request.
std::string resumptionCapture(const CheckEnv& env, model::Trace& trace) {
  if (auto err = readCapture(env, "resumption.pcapng", trace); !err.empty()) return err;
  if (trace.connections.size() != 2) return "resumption.pcapng should hold 2 connections, it holds " + std::to_string(trace.connections.size());
  const std::string mine = earlyDataRequest(*env.variant);
  const Bytes sent = clientBytes(trace.connections[1]);
  if (sent.size() < mine.size() || std::string(sent.begin(), sent.begin() + static_cast<long>(mine.size())) != mine)
    return "resumption.pcapng is not yours: its 0-RTT request is not your early data";
  return {};
}

CheckResult notJudged(const std::string& why) {
  return fail(why, "`tlslab lab start 12` writes your captures again (your answers stay)");
}

std::optional<Bytes> readPsk(const CheckEnv& env) {
  std::ifstream in(env.workspace / "psk.txt");
  std::string line;
  if (!in || !std::getline(in, line) || line.size() > 200) return std::nullopt;
  return fromHex(line);
}

}  // namespace

std::string materials(const MaterialsEnv& env) {
  using scenarios::PairLab;
  scenarios::PairLabOptions resumption;
  resumption.tls = "1.3";
  resumption.earlyData = earlyDataRequest(*env.variant);
  resumption.keyUpdate = true;
  env.say("connecting, then resuming with your 0-RTT request, and capturing both");
  std::string psk;
  if (auto err = saveRun(env, PairLab::Resumption, resumption, "resumption.pcapng", &psk); !err.empty()) return err;
  if (auto err = writeFile(env.workspace / "psk.txt", psk); !err.empty()) return err;
  scenarios::PairLabOptions renegotiation;
  renegotiation.tls = "1.2";
  renegotiation.renegotiate = true;
  env.say("a TLS 1.2 connection that renegotiates once");
  return saveRun(env, PairLab::Handshake, renegotiation, "renegotiation.pcapng");
}

CheckResult checkBinderCovers(const CheckEnv& env) {
  model::Trace trace;
  if (auto err = resumptionCapture(env, trace); !err.empty()) return notJudged(err);
  const scenarios::BinderCheck binder = scenarios::checkPskBinder(trace.connections[1], Bytes{});  // the lengths need no PSK
  if (binder.truncatedLength == 0) return notJudged("connection 1 has no PSK binder: " + binder.error);
  auto n = answerNumber(env.answer("binder_covers")->value);
  if (!n) return fail("that is not a number of bytes", "write how many bytes of the ClientHello the HMAC covers, e.g. 287");
  const long long right = static_cast<long long>(binder.truncatedLength);
  if (*n == right)
    return pass(fmt::format("{} of the ClientHello's {} bytes: everything up to its binders list ({} bytes), which "
                            "cannot cover itself (RFC 8446 §4.2.11.2)",
                            right, binder.clientHelloLength, binder.bindersLength));
  if (*n == static_cast<long long>(binder.clientHelloLength))
    return fail("that is the whole ClientHello: the binder cannot be an HMAC over itself",
                "leave out the binders list at the end of the pre_shared_key extension (its 2-byte length too)");
  if (*n == right - 4)
    return fail("the handshake header counts too", "Truncate(ClientHello) keeps the 4-byte header (type and the full length)");
  if (*n == right + 2)
    return fail("almost: the 2-byte length of the binders list is left out too",
                "Truncate() stops after PreSharedKeyExtension.identities");
  if (*n == right + 5 || *n == static_cast<long long>(binder.clientHelloLength) + 5)
    return fail("that counts the 5-byte record header", "the transcript is made of handshake messages, not records");
  return fail(fmt::format("{} is not what the binder covers in your connection 1", *n),
              "`tlslab lab run resumption --tls 1.3` shows the computation; in your capture: the ClientHello's length "
              "+ 4, minus the binders list");
}

CheckResult checkBinderKey(const CheckEnv& env) {
  model::Trace trace;
  if (auto err = resumptionCapture(env, trace); !err.empty()) return notJudged(err);
  auto psk = readPsk(env);
  if (!psk) return notJudged("psk.txt is missing or not one line of hex");
  // The PSK must be the one the capture's binder was made with: otherwise psk.txt was changed.
  const scenarios::BinderCheck binder = scenarios::checkPskBinder(trace.connections[1], *psk);
  if (!binder.verified) return notJudged("psk.txt does not make the binder of your resumption.pcapng: " + binder.error);
  const Bytes& early = binder.steps[0].output;
  const Bytes& binderKey = binder.steps[1].output;
  const std::string answer = normalizedHex(env.answer("binder_key")->value);
  if (answer.empty()) return fail("that is not hex", "write binder_key as hex, e.g. 3f9c…");
  if (answer == toHex(binderKey))
    return pass("binder_key = Derive-Secret(Early Secret, \"res binder\", \"\"), from your PSK (RFC 8446 §7.1)");
  if (answer == toHex(early))
    return fail("that is the Early Secret: one step short",
                "binder_key = Derive-Secret(Early Secret, \"res binder\", \"\"): `tlslab keys derive derive-secret "
                "--hash sha384 --secret EARLY --label \"res binder\" --messages \"\"`");
  if (answer == toHex(binder.wireBinder) || answer == toHex(binder.steps[2].output))
    return fail("that is further down: the binder (or its finished_key), not binder_key",
                "binder_key is the Derive-Secret step right after the Early Secret");
  const crypto::CipherSuite* suite = crypto::findSuite(trace.connections[1].negotiated.suite);
  if (suite != nullptr) {
    auto ext = crypto::deriveSecret(suite->prfHash, early, "ext binder", crypto::digest(suite->prfHash, {}), "ext");
    if (answer == toHex(ext.output))
      return fail("that is the external-PSK binder key (\"ext binder\")",
                  "a PSK from a ticket is a resumption PSK: the label is \"res binder\"");
    if (answer == toHex(crypto::hkdfExtractRaw(crypto::HashAlg::Sha256, {}, *psk)))
      return fail("the Early Secret was made with SHA-256", "your suite's hash is " + std::string(crypto::hashName(suite->prfHash)) +
                                                               ": add --hash sha384");
  }
  return fail("that is not the binder_key of your psk.txt",
              "Early Secret = `tlslab keys derive hkdf-extract --hash sha384 --ikm PSK`, then derive-secret with "
              "label \"res binder\" and empty messages");
}

CheckResult checkRenegotiatedConnection(const CheckEnv& env) {
  model::Trace trace;
  if (auto err = readCapture(env, "renegotiation.pcapng", trace); !err.empty()) return notJudged(err);
  if (trace.connections.size() != 1) return notJudged("renegotiation.pcapng should hold one connection");
  const auto& conn = trace.connections[0];
  std::vector<const model::TraceMessage*> hellos, finished;
  for (const auto& m : conn.messages) {
    if (m.handshakeType == 1) hellos.push_back(&m);
    if (m.handshakeType == 20) finished.push_back(&m);
  }
  if (hellos.size() < 2 || finished.size() < 2) return notJudged("renegotiation.pcapng has no renegotiation");
  auto valueOf = [](const model::TraceMessage& m, const char* path) {
    const model::Field* f = model::findField(m.tree, path);
    if (f == nullptr || f->offset + f->length > m.bytes.size()) return std::string();
    return toHex(ByteView(m.bytes).subspan(f->offset, f->length));
  };
  const std::string right = valueOf(*hellos[1], "renegotiation_info/renegotiated_connection/data");
  const std::string serverFinished = valueOf(*finished[1], "verify_data");
  const std::string answer = normalizedHex(env.answer("renegotiated_connection")->value);
  if (right.empty()) return notJudged("the second ClientHello of renegotiation.pcapng has no renegotiation_info");
  if (answer == right)
    return pass("the client's verify_data of the first handshake (" + right + "): it ties the new handshake to the "
                "connection it runs in (RFC 5746 §3.5)");
  if (answer == serverFinished || answer == right + serverFinished)
    return fail("the server's verify_data goes in the server's renegotiation_info, not the client's",
                "the client sends client_verify_data only (12 bytes); the ServerHello carries both (24)");
  const std::string said = normalizedWords(env.answer("renegotiated_connection")->value);
  if (said == "empty" || said == "none" || said == "0")
    return fail("empty is the first handshake's (here OpenSSL sends the SCSV instead of the extension)",
                "look at the second ClientHello, the one inside the encrypted connection");
  if (answer.empty()) return fail("that is not hex", "copy the 12 bytes of renegotiated_connection from the second ClientHello");
  return fail("that is not the renegotiated_connection of your second ClientHello",
              "`tlslab dissect renegotiation.pcapng --json` holds the second ClientHello's renegotiation_info; compare "
              "it with the verify_data of the first client Finished");
}

CheckResult checkNextTrafficSecret(const CheckEnv& env) {
  model::Trace trace;
  if (auto err = resumptionCapture(env, trace); !err.empty()) return notJudged(err);
  const auto& conn = trace.connections[0];
  Bytes secret0, serverSecret0;
  for (const auto& step : conn.derivation) {
    if (step.name == "client_application_traffic_secret_0" && step.status == model::StepStatus::FromKeyLog) secret0 = step.output;
    if (step.name == "server_application_traffic_secret_0" && step.status == model::StepStatus::FromKeyLog)
      serverSecret0 = step.output;
  }
  const crypto::CipherSuite* suite = crypto::findSuite(conn.negotiated.suite);
  if (secret0.empty() || suite == nullptr) return notJudged("resumption.pcapng's connection 0 has no CLIENT_TRAFFIC_SECRET_0");
  const Bytes next = crypto::tls13NextTrafficSecret(suite->prfHash, secret0, 1, "client").output;
  const std::string answer = normalizedHex(env.answer("client_traffic_secret_1")->value);
  if (answer.empty()) return fail("that is not hex", "write the secret as hex");
  if (answer == toHex(next))
    return pass("HKDF-Expand-Label(client_application_traffic_secret_0, \"traffic upd\", \"\", Hash.length) "
                "(RFC 8446 §7.2): the client's new keys after its KeyUpdate");
  if (answer == toHex(secret0)) return fail("that is the secret before the KeyUpdate", "apply \"traffic upd\" to it once");
  if (!serverSecret0.empty() && answer == toHex(crypto::tls13NextTrafficSecret(suite->prfHash, serverSecret0, 1, "server").output))
    return fail("that is the server's next secret", "start from CLIENT_TRAFFIC_SECRET_0, the client's");
  if (answer == toHex(crypto::hkdfExpandLabelRaw(suite->prfHash, secret0, "traffic update", {}, crypto::hashLength(suite->prfHash))))
    return fail("the label is \"traffic upd\", not \"traffic update\"", "RFC 8446 §7.2 spells it \"traffic upd\"");
  return fail("that is not client_application_traffic_secret_1 of your connection 0",
              "`tlslab keys derive hkdf-expand-label --hash sha384 --secret SECRET_0 --label \"traffic upd\" --length 48`, "
              "SECRET_0 from the key log inside resumption.pcapng (`tlslab dissect` shows the lines)");
}

}  // namespace tlslab::course::lab12
