// Lab 12 (resumption, 0-RTT, renegotiation): the answers about values are
// read off the student's own captures the way the tutorial does it (field
// offsets, key log lines, by-hand derivations), the answers about behaviour
// are judged against runs the check makes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "CourseTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

model::Trace dissected(const fs::path& file) {
  keys::KeyStore none;
  auto trace = dissect::dissectFile(file, none);
  EXPECT_TRUE(trace) << trace.error().message();
  return trace ? trace.value() : model::Trace{};
}

std::string fieldHex(const model::TraceMessage& m, const char* path) {
  const model::Field* f = model::findField(m.tree, path);
  return f ? toHex(ByteView(m.bytes).subspan(f->offset, f->length)) : "";
}

std::string keyLogSecret(const std::string& keyLog, const std::string& label) {
  std::istringstream in(keyLog);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(label + " ", 0) == 0) return line.substr(line.rfind(' ') + 1);
  return {};
}

// What the tutorial has a student compute, from the workspace's files.
std::string capturedAnswers(const fs::path& dir) {
  model::Trace resumption = dissected(dir / "resumption.pcapng");
  model::Trace renegotiation = dissected(dir / "renegotiation.pcapng");
  EXPECT_EQ(resumption.connections.size(), 2u);
  EXPECT_EQ(renegotiation.connections.size(), 1u);
  if (resumption.connections.size() != 2 || renegotiation.connections.size() != 1) return {};
  const auto& resumed = resumption.connections[1];
  const model::TraceMessage& hello = resumed.messages.front();
  const model::Field* binders = model::findField(hello.tree, "pre_shared_key/binders");
  EXPECT_NE(binders, nullptr);
  std::ifstream pskFile(dir / "psk.txt");
  std::string pskHex;
  std::getline(pskFile, pskHex);
  const Bytes psk = fromHex(pskHex).value_or(Bytes{});
  const auto hash = crypto::HashAlg::Sha384;  // the lab's suite, TLS_AES_256_GCM_SHA384
  EXPECT_EQ(resumed.negotiated.suiteName, "TLS_AES_256_GCM_SHA384");
  const Bytes early = crypto::hkdfExtractRaw(hash, {}, psk);
  const Bytes binderKey = crypto::deriveSecret(hash, early, "res binder", crypto::digest(hash, {}), "k").output;
  std::vector<const model::TraceMessage*> hellos;
  for (const auto& m : renegotiation.connections[0].messages)
    if (m.handshakeType == 1) hellos.push_back(&m);
  EXPECT_EQ(hellos.size(), 2u);
  const std::string secret0 = keyLogSecret(resumption.connections[0].keyLog, "CLIENT_TRAFFIC_SECRET_0");
  const Bytes next = crypto::hkdfExpandLabelRaw(hash, fromHex(secret0).value_or(Bytes{}), "traffic upd", {}, 48);
  return "binder_covers: " + std::to_string(binders ? binders->offset : 0) + "\nbinder_key: " + toHex(binderKey) +
         "\nrenegotiated_connection: " + (hellos.size() == 2 ? fieldHex(*hellos[1], "renegotiation_info/renegotiated_connection/data") : "") +
         "\nclient_traffic_secret_1: " + toHex(next) + "\n";
}

std::string referenceAnswers(const Variant& v) {
  std::string text;
  for (const auto& q : findLab(12)->questions)
    if (q.reference) text += std::string(q.key) + ": " + q.reference(v) + "\n";
  return text;
}

LabReport check(const Workspace& ws, const std::string& answersText, std::vector<std::string> only = {}) {
  Answers answers = parseAnswers(answersText);
  const Variant variant = ws.info.variant();
  CheckEnv env{&variant, &answers, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(12), env, only);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

}  // namespace

TEST(CourseLab12, TheReferenceAndTheCapturesAnswersPassEveryCheck) {
  Workspace ws = test::startLabWorkspace(12, "alice");
  const std::string answers = referenceAnswers(ws.info.variant()) + capturedAnswers(ws.dir);
  LabReport report = check(ws, answers);
  EXPECT_TRUE(report.allPassed()) << answers;
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  fs::remove_all(ws.dir);
}

TEST(CourseLab12, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = test::startLabWorkspace(12, "dave");
  Answers right = parseAnswers(capturedAnswers(ws.dir));
  const long covers = std::stol(right.find("binder_covers")->value);
  model::Trace resumption = dissected(ws.dir / "resumption.pcapng");
  const std::size_t wholeHello = resumption.connections.at(1).messages.front().bytes.size();
  std::ifstream pskFile(ws.dir / "psk.txt");
  std::string pskHex;
  std::getline(pskFile, pskHex);
  const Bytes early = crypto::hkdfExtractRaw(crypto::HashAlg::Sha384, {}, fromHex(pskHex).value());
  model::Trace renegotiation = dissected(ws.dir / "renegotiation.pcapng");
  std::string serverFinished;
  for (const auto& m : renegotiation.connections.at(0).messages)
    if (m.handshakeType == 20 && m.direction == model::Direction::ServerToClient && serverFinished.empty())
      serverFinished = fieldHex(m, "verify_data");
  LabReport report = check(ws,
                           "tls12_resumed_by: a ticket\n"
                           "tls12_left_out: Certificate, CertificateVerify\n"
                           "binder_covers: " + std::to_string(wholeHello) + "\n"
                           "binder_key: " + toHex(early) + "\n"
                           "replay_without_anti_replay: 1\n"
                           "replay_with_anti_replay: 0\n"
                           "renegotiated_connection: " + serverFinished + "\n"
                           "client_traffic_secret_1: " + keyLogSecret(resumption.connections[0].keyLog, "CLIENT_TRAFFIC_SECRET_0") + "\n");
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(result(report, "tls12_resumed_by").detail.find("sends no NewSessionTicket"), std::string::npos);
  EXPECT_NE(result(report, "tls12_left_out").detail.find("CertificateVerify is not in either"), std::string::npos);
  EXPECT_NE(result(report, "binder_covers").detail.find("the whole ClientHello"), std::string::npos);
  EXPECT_NE(result(report, "binder_key").detail.find("the Early Secret"), std::string::npos);
  EXPECT_NE(result(report, "replay_without_anti_replay").detail.find("taken before that"), std::string::npos);
  EXPECT_NE(result(report, "replay_with_anti_replay").detail.find("genuine client's 0-RTT request was accepted"),
            std::string::npos);
  EXPECT_NE(result(report, "renegotiated_connection").detail.find("server's verify_data"), std::string::npos);
  EXPECT_NE(result(report, "client_traffic_secret_1").detail.find("before the KeyUpdate"), std::string::npos);
  // Off by the handshake header, or by the binders' own length field.
  const std::vector<std::string> only{"binder_covers"};
  EXPECT_NE(result(check(ws, "binder_covers: " + std::to_string(covers - 4) + "\n", only), "binder_covers").detail.find("header counts"),
            std::string::npos);
  EXPECT_NE(result(check(ws, "binder_covers: " + std::to_string(covers + 2) + "\n", only), "binder_covers").detail.find("2-byte length"),
            std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab12, TwoStudentsCannotPassWithEachOthersAnswersOrCaptures) {
  Workspace erin = test::startLabWorkspace(12, "erin");
  Workspace frank = test::startLabWorkspace(12, "frank");
  EXPECT_NE(earlyDataRequest(erin.info.variant()), earlyDataRequest(frank.info.variant()));
  const std::vector<std::string> capture{"binder_covers", "binder_key", "renegotiated_connection", "client_traffic_secret_1"};
  const std::string erinAnswers = capturedAnswers(erin.dir);
  EXPECT_TRUE(check(erin, erinAnswers, capture).allPassed());
  LabReport copied = check(frank, erinAnswers, capture);
  EXPECT_EQ(result(copied, "binder_key").verdict, Verdict::Fail);
  EXPECT_EQ(result(copied, "renegotiated_connection").verdict, Verdict::Fail);
  EXPECT_EQ(result(copied, "client_traffic_secret_1").verdict, Verdict::Fail);
  // Erin's capture in Frank's workspace is not Frank's: its early data is Erin's.
  fs::copy_file(erin.dir / "resumption.pcapng", frank.dir / "resumption.pcapng", fs::copy_options::overwrite_existing);
  fs::copy_file(erin.dir / "psk.txt", frank.dir / "psk.txt", fs::copy_options::overwrite_existing);
  LabReport borrowed = check(frank, erinAnswers, {"binder_key"});
  EXPECT_NE(result(borrowed, "binder_key").detail.find("not yours"), std::string::npos);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
