#include "RecordedRuns.hpp"

#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>
#include <variant>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::course {

using namespace tlslab::endpoints;

pki::Result<IssuedServer> issueStudentRsaServer(const std::filesystem::path& certsDir, const std::string& host) {
  using R = pki::Result<IssuedServer>;
  auto caCert = pki::readCertificate(certsDir / "issuing-ca" / "cert.pem");
  if (!caCert) return R::failure(caCert.error());
  auto caKey = pki::readPrivateKey(certsDir / "issuing-ca" / "key.pem");
  if (!caKey) return R::failure(caKey.error());
  auto key = pki::generateRsaKey(2048);
  if (!key) return R::failure("making an RSA key for " + host + ": " + key.error());
  pki::CertificateSpec spec;
  spec.organization = "tlslab course";
  spec.commonName = host;
  unsigned char random[8];
  if (RAND_bytes(random, sizeof random) != 1) return R::failure("no random serial for " + host);
  long serial = 0;
  for (unsigned char b : random) serial = (serial << 8) | b;
  spec.serial = (serial & 0x3fffffffffffffffL) | 0x1000;  // positive, never one of the catalog's small serials
  spec.notBefore = pki::kGoodNotBefore;
  spec.notAfter = pki::kGoodNotAfter;
  spec.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                     {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                     {NID_ext_key_usage, "serverAuth"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid:always"},
                     {NID_subject_alt_name, "DNS:" + host}};
  auto cert = pki::issueCertificate(spec, key.value().get(), caCert.value().get(), caKey.value().get());
  if (!cert) return R::failure("issuing a certificate for " + host + ": " + cert.error());
  IssuedServer out;
  out.host = host;
  out.chainPem = pki::certificatesPem({cert.value().get(), caCert.value().get()});
  out.keyPem = pki::privateKeyPem(key.value().get(), pki::teachingKeyHeader("a course RSA server for " + host));
  if (out.chainPem.empty() || out.keyPem.empty()) return R::failure("writing the certificate for " + host + " as PEM failed");
  return R::success(std::move(out));
}

namespace {

// An eavesdropper's view: every event but the keys.
std::vector<Event> withoutKeys(const std::vector<Event>& events) {
  std::vector<Event> kept;
  for (const auto& e : events)
    if (!std::holds_alternative<KeyLogEvent>(e)) kept.push_back(e);
  return kept;
}

RecordedRun runOne(const std::filesystem::path& certsDir, const RecordedSpec& spec,
                   endpoints::RecordedConnection& recorded) {
  RecordedRun run;
  ServerConfig server;
  server.chainPem = spec.server.chainPem;
  server.keyPem = spec.server.keyPem;
  server.siteName = spec.server.host;
  server.service = spec.service;
  server.tls = spec.tls;
  auto started = LabServer::start(server);
  if (!started) {
    run.error = "the server for " + spec.server.host + " did not start: " + started.error();
    return run;
  }
  ClientConfig client;
  client.host = spec.server.host;
  client.port = started.value()->port();
  client.resolver.set(spec.server.host, "127.0.0.1");
  client.trustFiles = {certsDir / "root-ca" / "cert.pem"};
  client.tls = spec.tls;
  client.starttls = spec.starttls;
  client.script = spec.script;
  run.client = runClient(client);
  started.value()->stop();
  const auto serverSide = started.value()->finishedConnections();
  if (!run.client.scriptOk)
    run.error = "the connection to " + spec.server.host + " did not complete: " +
                (run.client.error.empty() ? std::string("the server's answer never came") : run.client.error);
  run.keyLog = keyLogText(run.client.events);
  recorded.peers = run.client.peers;
  recorded.clientEvents = withoutKeys(run.client.events);
  if (const auto* events = scenarios::serverEventsOf(run.client, serverSide)) recorded.serverEvents = withoutKeys(*events);
  return run;
}

}  // namespace

RecordedCapture recordConnections(const std::filesystem::path& certsDir, const std::vector<RecordedSpec>& specs) {
  RecordedCapture capture;
  std::vector<endpoints::RecordedConnection> recorded(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    capture.connections.push_back(runOne(certsDir, specs[i], recorded[i]));
    if (capture.error.empty()) capture.error = capture.connections.back().error;
  }
  if (!capture.ok()) return capture;
  std::ostringstream out;
  if (auto err = writeRunPcapng(out, recorded); !err.empty()) {
    capture.error = "writing the capture: " + err;
    return capture;
  }
  capture.pcapng = out.str();
  return capture;
}

std::string postRequest(const std::string& host, const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: " + host +
         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

std::vector<ScriptStep> postScript(const std::string& host, const std::string& path, const std::string& body) {
  return {ScriptStep::send(postRequest(host, path, body)), ScriptStep::expect("</html>")};
}

std::string writeMaterial(const std::filesystem::path& workspace, const std::string& name, const std::string& text) {
  std::ofstream out(workspace / name, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return out ? std::string{} : "cannot write " + (workspace / name).string();
}

std::string secretMessage(const Variant& variant, std::string_view label) {
  return "the vault code is " + variant.password(label);
}

std::optional<model::Trace> dissectMaterial(const std::filesystem::path& workspace, const std::string& name,
                                            keys::KeyStore& keys, std::string& problem) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(workspace / name, ec)) {
    problem = name + " is not in your workspace: `tlslab lab start` makes it again (your answers stay)";
    return std::nullopt;
  }
  auto trace = dissect::dissectFile(workspace / name, keys);
  if (!trace) {
    problem = name + " cannot be read: " + trace.error().message();
    return std::nullopt;
  }
  return trace.value();
}

std::string clientPlaintext(const model::TraceConnection& connection) {
  std::string text;
  for (const auto& chunk : connection.appData)
    if (chunk.direction == model::Direction::ClientToServer) text.append(chunk.data.begin(), chunk.data.end());
  return text;
}

}  // namespace tlslab::course
