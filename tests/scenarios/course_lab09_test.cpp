// Lab 9 (keys by hand): the values a student reproduces pass; a wrong one is
// explained by the first wrong value upstream or by what it is instead,
// never by giving the right one away; each student's materials are their own.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "CourseCaptureSupport.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Kdf.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

model::TraceConnection tls12(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addKeyLogFile(ws.dir / "tls12.keylog"));
  model::Trace trace = test::dissectedWith(ws.dir / "tls12.pcapng", store);
  EXPECT_EQ(trace.connections.size(), 1u);
  return trace.connections.empty() ? model::TraceConnection{} : trace.connections[0];
}

std::string hexOf(const model::TraceConnection& c, const std::string& step) {
  const model::DerivationStep* s = test::stepNamed(c, step);
  EXPECT_NE(s, nullptr) << "no step " << step;
  return s ? toHex(s->output) : std::string();
}

// The TLS 1.2 values as `tlslab dissect --keylog` shows them, which a student reproduces by hand.
std::string tls12Answers(const Workspace& ws) {
  const model::TraceConnection c = tls12(ws);
  return "tls12_key_block: " + hexOf(c, "key_block") + "\ntls12_client_write_key: " + hexOf(c, "client_write_key") +
         "\ntls12_client_write_iv: " + hexOf(c, "client_write_IV (salt)") +
         "\ntls12_client_verify_data: " + hexOf(c, "client Finished verify_data") +
         "\ntls12_not_derivable: pre-master secret\n";
}

model::TraceConnection tls13(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addEphemeralKeyFile(ws.dir / "tls13.ephemeral-keys"));
  model::Trace trace = test::dissectedWith(ws.dir / "tls13.pcapng", store);
  EXPECT_EQ(trace.connections.size(), 1u);
  return trace.connections.empty() ? model::TraceConnection{} : trace.connections[0];
}

Bytes messagesUpTo(const model::TraceConnection& c, const std::string& last, model::Direction from) {
  Bytes all;
  for (const auto& m : c.messages) {
    if (m.handshakeType < 0) continue;
    all.insert(all.end(), m.bytes.begin(), m.bytes.end());
    if (m.name == last && m.direction == from) break;
  }
  return all;
}

// The client's application records in order; the student's is the `record`-th (README names it).
std::vector<const model::TraceRecord*> clientApplicationRecords(const model::TraceConnection& c) {
  std::vector<const model::TraceRecord*> out;
  for (const auto& r : c.records)
    if (r.direction == model::Direction::ClientToServer && r.keyPhase == model::KeyPhase::application() && r.innerContentType == 23)
      out.push_back(&r);
  return out;
}

struct Tls13Values {
  std::map<std::string, Bytes> v;
  crypto::HashAlg hash = crypto::HashAlg::Sha256;
  std::size_t keyLength = 0;
  std::string answers() const {
    std::string text;
    for (const auto& [key, bytes] : v) text += key + ": " + toHex(bytes) + "\n";
    return text;
  }
};

// The schedule recomputed here from the shared secret (the dissector's ECDH) and
// the handshake messages with the raw primitives, as a student does it by hand.
Tls13Values tls13Values(const Workspace& ws, std::size_t record) {
  const model::TraceConnection c = tls13(ws);
  Tls13Values out;
  const crypto::CipherSuite* suite = crypto::findSuite(c.negotiated.suite);
  EXPECT_NE(suite, nullptr);
  if (!suite) return out;
  using crypto::hkdfExpandLabelRaw, crypto::hkdfExtractRaw;
  const crypto::HashAlg h = out.hash = suite->prfHash;
  out.keyLength = suite->keyLength;
  const Bytes empty = crypto::digest(h, {}), zeros(empty.size(), 0);
  const std::size_t n = empty.size();
  const Bytes shared = *fromHex(hexOf(c, "(EC)DHE shared secret"));
  const Bytes early = hkdfExtractRaw(h, {}, zeros);
  const Bytes hs = hkdfExtractRaw(h, hkdfExpandLabelRaw(h, early, "derived", empty, n), shared);
  const Bytes thHellos = crypto::digest(h, messagesUpTo(c, "ServerHello", model::Direction::ServerToClient));
  const Bytes thFinished = crypto::digest(h, messagesUpTo(c, "Finished", model::Direction::ServerToClient));
  const Bytes chts = hkdfExpandLabelRaw(h, hs, "c hs traffic", thHellos, n);
  const Bytes master = hkdfExtractRaw(h, hkdfExpandLabelRaw(h, hs, "derived", empty, n), zeros);
  const Bytes cats = hkdfExpandLabelRaw(h, master, "c ap traffic", thFinished, n);
  Bytes iv = hkdfExpandLabelRaw(h, cats, "iv", {}, 12);
  const auto records = clientApplicationRecords(c);
  EXPECT_GT(records.size(), record);
  out.v = {{"tls13_shared_secret", shared},
           {"tls13_handshake_secret", hs},
           {"tls13_client_handshake_traffic_secret", chts},
           {"tls13_client_handshake_key", hkdfExpandLabelRaw(h, chts, "key", {}, suite->keyLength)},
           {"tls13_client_handshake_iv", hkdfExpandLabelRaw(h, chts, "iv", {}, 12)},
           {"tls13_client_verify_data", crypto::hmac(h, hkdfExpandLabelRaw(h, chts, "finished", {}, n), thFinished)},
           {"tls13_master_secret", master},
           {"tls13_client_application_traffic_secret", cats},
           {"tls13_client_application_key", hkdfExpandLabelRaw(h, cats, "key", {}, suite->keyLength)},
           {"tls13_client_application_iv", iv}};
  iv.back() ^= static_cast<std::uint8_t>(record);  // sequence numbers count the client's records from 0
  out.v["tls13_record_nonce"] = iv;
  if (records.size() > record) out.v["tls13_record_plaintext"] = records[record]->plaintext;
  return out;
}

std::size_t recordOf(const Workspace& ws) {
  std::ifstream readme(ws.dir / "README.md");
  std::stringstream text;
  text << readme.rdbuf();
  // The personal line comes first; the tutorial below it in README.md names alice's.
  const std::string s = text.str();
  const std::string phrase = "Your record to decrypt by hand: the client's ";
  const std::size_t at = s.find(phrase);
  const char* ordinals[] = {"first", "second", "third"};
  for (std::size_t i = 0; at != std::string::npos && i < 3; ++i)
    if (s.compare(at + phrase.size(), std::string(ordinals[i]).size(), ordinals[i]) == 0) return i;
  ADD_FAILURE() << "README names no record";
  return 0;
}

std::string fileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST(CourseLab09, Tls13ValuesRecomputedFromTheEphemeralKeyPassEveryCheck) {
  Workspace ws = test::startLabWorkspace(9, "alice");
  const Tls13Values values = tls13Values(ws, recordOf(ws));
  LabReport report = test::checkAnswers(9, ws, values.answers());
  std::size_t judged = 0;
  for (const auto& r : report.results) {
    if (r.id.rfind("tls13_", 0) != 0) continue;
    ++judged;
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << values.answers();
  }
  EXPECT_EQ(judged, 12u);
  const std::string plaintext(values.v.at("tls13_record_plaintext").begin(), values.v.at("tls13_record_plaintext").end());
  EXPECT_NE(plaintext.find("the vault code is "), std::string::npos) << plaintext;
  // aead-decrypt's whole TLSInnerPlaintext (content, then type 23) is right too.
  Bytes inner = values.v.at("tls13_record_plaintext");
  inner.push_back(23);
  LabReport innerReport = test::checkAnswers(9, ws, "tls13_record_plaintext: " + toHex(inner) + "\n");
  EXPECT_EQ(test::resultOf(innerReport, "tls13_record_plaintext").verdict, Verdict::Pass);
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, TheCaptureHoldsNoPrivateKeyAndAloneCannotReachTheSharedSecret) {
  Workspace ws = test::startLabWorkspace(9, "carol");
  const std::string keyFile = fileText(ws.dir / "tls13.ephemeral-keys");
  std::istringstream lines(keyFile);
  std::string line, group, share, privateHex;
  std::size_t keysFound = 0;
  while (std::getline(lines, line))
    if (line.rfind("EPHEMERAL_KEY ", 0) == 0) {
      std::istringstream(line.substr(14)) >> group >> share >> privateHex;
      ++keysFound;
    }
  ASSERT_EQ(keysFound, 1u) << keyFile;  // the client's key only
  const Bytes privateKey = *fromHex(privateHex);
  const std::string capture = fileText(ws.dir / "tls13.pcapng");
  EXPECT_EQ(capture.find(std::string(privateKey.begin(), privateKey.end())), std::string::npos);
  keys::KeyStore none;
  model::Trace alone = test::dissectedWith(ws.dir / "tls13.pcapng", none);
  ASSERT_EQ(alone.connections.size(), 1u);
  for (const auto& step : alone.connections[0].derivation)
    EXPECT_NE(step.status, model::StepStatus::Derived) << step.name;
  for (const auto& r : alone.connections[0].records)
    if (r.encrypted) {
      EXPECT_TRUE(r.plaintext.empty()) << "record " << r.index << " opened without a key";
    }
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, AWrongTls13ValueNamesTheFirstWrongOneUpstreamOrWhatItIs) {
  Workspace ws = test::startLabWorkspace(9, "dave");
  const std::size_t record = recordOf(ws);
  const Tls13Values right = tls13Values(ws, record);
  const model::TraceConnection c = tls13(ws);
  const crypto::HashAlg other = right.hash == crypto::HashAlg::Sha384 ? crypto::HashAlg::Sha256 : crypto::HashAlg::Sha384;
  Tls13Values wrong = right;
  // The server's secret instead of the client's, and a key made from it.
  wrong.v["tls13_client_handshake_traffic_secret"] = *fromHex(hexOf(c, "server_handshake_traffic_secret"));
  wrong.v["tls13_client_handshake_key"] = *fromHex(hexOf(c, "server handshake write key"));
  // A key from the wrong hash.
  wrong.v["tls13_client_application_key"] =
      crypto::hkdfExpandLabelRaw(other, right.v.at("tls13_client_application_traffic_secret"), "key", {}, right.keyLength);
  // A nonce without the XOR, and a record decrypted with it (copied from elsewhere).
  wrong.v["tls13_record_nonce"] = right.v.at("tls13_client_application_iv");
  LabReport report = test::checkAnswers(9, ws, wrong.answers());
  const CheckResult& chts = test::resultOf(report, "tls13_client_handshake_traffic_secret");
  EXPECT_EQ(chts.verdict, Verdict::Fail);
  EXPECT_NE(chts.detail.find("the server's handshake traffic secret"), std::string::npos) << chts.detail;
  const CheckResult& key = test::resultOf(report, "tls13_client_handshake_key");
  EXPECT_NE(key.detail.find("your tls13_client_handshake_traffic_secret is already wrong: the first value to fix"),
            std::string::npos) << key.detail;
  const CheckResult& apKey = test::resultOf(report, "tls13_client_application_key");
  EXPECT_NE(apKey.detail.find("HKDF-Expand-Label with SHA-"), std::string::npos) << apKey.detail;
  const CheckResult& nonce = test::resultOf(report, "tls13_record_nonce");
  EXPECT_NE(nonce.detail.find("the IV itself"), std::string::npos) << nonce.detail;
  const CheckResult& plain = test::resultOf(report, "tls13_record_plaintext");
  EXPECT_EQ(plain.verdict, Verdict::Pass) << "the right plaintext is right, whatever its nonce answer";
  EXPECT_EQ(test::resultOf(report, "tls13_master_secret").verdict, Verdict::Pass);
  // A wrong sequence number, and a plaintext that is not the record's.
  Bytes offByOne = right.v.at("tls13_client_application_iv");
  offByOne.back() ^= static_cast<std::uint8_t>(record + 1);
  Tls13Values wrongSeq = right;
  wrongSeq.v["tls13_record_nonce"] = offByOne;
  wrongSeq.v["tls13_record_plaintext"] = Bytes{'h', 'i'};
  LabReport seqReport = test::checkAnswers(9, ws, wrongSeq.answers());
  const CheckResult& seqNonce = test::resultOf(seqReport, "tls13_record_nonce");
  EXPECT_NE(seqNonce.detail.find("the nonce of sequence number " + std::to_string(record + 1)), std::string::npos)
      << seqNonce.detail;
  EXPECT_NE(test::resultOf(seqReport, "tls13_record_plaintext").detail.find("your tls13_record_nonce is already wrong"),
            std::string::npos);
  // The hint never gives the value away.
  EXPECT_EQ(chts.hint.find(toHex(right.v.at("tls13_client_handshake_traffic_secret"))), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, ValuesReproducedFromTheKeyLogPassEveryTls12Check) {
  Workspace ws = test::startLabWorkspace(9, "alice");
  const std::string answers = tls12Answers(ws);
  LabReport report = test::checkAnswers(9, ws, answers);
  for (const auto& r : report.results) {
    if (r.id.rfind("tls12_", 0) != 0) continue;
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << answers;
  }
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, AWrongValueNamesTheFirstWrongOneUpstreamOrWhatItIs) {
  Workspace ws = test::startLabWorkspace(9, "dave");
  const model::TraceConnection c = tls12(ws);
  const Bytes master = *fromHex(hexOf(c, "master_secret"));
  const std::size_t blockLength = hexOf(c, "key_block").size() / 2;
  const crypto::CipherSuite* suite = crypto::findSuite(c.negotiated.suite);
  ASSERT_NE(suite, nullptr);
  // The classic mistake: the master secret's seed order (client random first) for the key block.
  Bytes seed = c.clientRandom;
  seed.insert(seed.end(), c.serverRandom.begin(), c.serverRandom.end());
  const std::string reversed = toHex(crypto::prfRaw(suite->prfHash, master, "key expansion", seed, blockLength));
  const std::string keyFromReversed = reversed.substr(0, suite->keyLength * 2);
  const std::string wrong = "tls12_key_block: " + reversed + "\ntls12_client_write_key: " + keyFromReversed +
                            "\ntls12_client_write_iv: " + hexOf(c, "server_write_IV (salt)") +
                            "\ntls12_client_verify_data: " + hexOf(c, "server Finished verify_data") +
                            "\ntls12_not_derivable: master_secret\n";
  LabReport report = test::checkAnswers(9, ws, wrong);
  const CheckResult& block = test::resultOf(report, "tls12_key_block");
  EXPECT_EQ(block.verdict, Verdict::Fail);
  EXPECT_NE(block.detail.find("the other way round"), std::string::npos) << block.detail;
  EXPECT_EQ(block.hint.find(hexOf(c, "key_block")), std::string::npos) << "the hint must not give the value away";
  const CheckResult& key = test::resultOf(report, "tls12_client_write_key");
  EXPECT_NE(key.detail.find("your tls12_key_block is already wrong: the first value to fix"), std::string::npos) << key.detail;
  const CheckResult& iv = test::resultOf(report, "tls12_client_write_iv");
  EXPECT_NE(iv.detail.find("made from tls12_key_block"), std::string::npos) << iv.detail;
  EXPECT_NE(test::resultOf(report, "tls12_client_verify_data").detail.find("the server's verify_data"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "tls12_not_derivable").detail.find("is in tls12.keylog"), std::string::npos);
  // With the key block right, a wrong slice is judged on its own.
  LabReport slice = test::checkAnswers(9, ws, "tls12_key_block: " + hexOf(c, "key_block") +
                                                  "\ntls12_client_write_iv: " + hexOf(c, "server_write_IV (salt)") +
                                                  "\ntls12_client_write_key: 00112233\n");
  EXPECT_NE(test::resultOf(slice, "tls12_client_write_iv").detail.find("the server's write IV"), std::string::npos);
  EXPECT_NE(test::resultOf(slice, "tls12_client_write_key").detail.find("has " + std::to_string(suite->keyLength) + " bytes"),
            std::string::npos);
  LabReport notHex = test::checkAnswers(9, ws, "tls12_key_block: the key block\n");
  EXPECT_NE(test::resultOf(notHex, "tls12_key_block").detail.find("is not hex"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, TwoStudentsMaterialsDifferAndCopiedValuesFail) {
  Workspace erin = test::startLabWorkspace(9, "erin");
  Workspace frank = test::startLabWorkspace(9, "frank");
  const std::string erinAnswers = tls12Answers(erin);
  EXPECT_NE(erinAnswers, tls12Answers(frank));
  LabReport copied = test::checkAnswers(9, frank, erinAnswers);
  EXPECT_EQ(test::resultOf(copied, "tls12_key_block").verdict, Verdict::Fail);
  // Erin's capture and key log in Frank's workspace are not his.
  fs::copy_file(erin.dir / "tls12.pcapng", frank.dir / "tls12.pcapng", fs::copy_options::overwrite_existing);
  fs::copy_file(erin.dir / "tls12.keylog", frank.dir / "tls12.keylog", fs::copy_options::overwrite_existing);
  LabReport borrowed = test::checkAnswers(9, frank, erinAnswers);
  EXPECT_NE(test::resultOf(borrowed, "tls12_key_block").detail.find("not the ones made for you"), std::string::npos);
  // The TLS 1.3 run, and its key, are each student's own too.
  const Tls13Values erin13 = tls13Values(erin, recordOf(erin));
  EXPECT_NE(erin13.answers(), tls13Values(frank, recordOf(frank)).answers());
  fs::copy_file(erin.dir / "tls13.ephemeral-keys", frank.dir / "tls13.ephemeral-keys", fs::copy_options::overwrite_existing);
  LabReport wrongKey = test::checkAnswers(9, frank, erin13.answers());
  EXPECT_NE(test::resultOf(wrongKey, "tls13_shared_secret").detail.find("the key does not belong to the capture"),
            std::string::npos) << test::resultOf(wrongKey, "tls13_shared_secret").detail;
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
