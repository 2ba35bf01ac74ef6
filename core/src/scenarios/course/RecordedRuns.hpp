#pragma once
// Captures the part-2 labs hand a student (labs 9, 11 and the forensics
// challenge): real LabServer + LabClient connections on loopback, one after
// the other, written as ONE pcapng without any key (what an eavesdropper
// records). Each connection's key log and its server's private key are kept
// apart, so the lab decides which of them the student also gets.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/pki/Result.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course {

// A server certificate for `host` with a fresh RSA-2048 key (keyUsage
// digitalSignature + keyEncipherment), from the lab's Issuing CA: TLS 1.2's
// RSA key exchange needs an RSA key that may encrypt (RFC 5246 §7.4.2).
pki::Result<IssuedServer> issueStudentRsaServer(const std::filesystem::path& certsDir, const std::string& host);

struct RecordedSpec {
  IssuedServer server;  // the host the client asks for, and the server's chain and key
  endpoints::TlsOptions tls;  // both sides use the same
  endpoints::Service service = endpoints::Service::HttpsHello;
  endpoints::Starttls starttls = endpoints::Starttls::None;  // matches a STARTTLS service
  std::vector<endpoints::ScriptStep> script;                // what the client says
};

struct RecordedRun {
  endpoints::ClientRun client;
  std::string keyLog;  // this connection's NSS key log lines (the client's)
  std::string error;   // why it did not complete ("" when it did)
};

struct RecordedCapture {
  std::vector<RecordedRun> connections;  // in `specs` order, which is the capture's order
  std::string pcapng;                           // every connection, no Decryption Secrets Block
  std::string error;                            // the first failure ("" when all completed)
  bool ok() const { return error.empty(); }
};

RecordedCapture recordConnections(const std::filesystem::path& certsDir, const std::vector<RecordedSpec>& specs);

// An HTTP POST carrying `body` (Connection: close), and the script that sends it and reads the page.
std::string postRequest(const std::string& host, const std::string& path, const std::string& body);
std::vector<endpoints::ScriptStep> postScript(const std::string& host, const std::string& path, const std::string& body);

// Writes `text` to workspace/name; "" or why it failed.
std::string writeMaterial(const std::filesystem::path& workspace, const std::string& name, const std::string& text);

// A secret message a lab hides in a connection for one student: "the vault code is velvet-otter-4812".
std::string secretMessage(const Variant& variant, std::string_view label);

// ---- what the checks read back from a student's workspace

// A capture of the workspace dissected with `keys`; nullopt and `problem`
// (naming the file and what to do) when it is missing or unreadable.
std::optional<model::Trace> dissectMaterial(const std::filesystem::path& workspace, const std::string& name,
                                            keys::KeyStore& keys, std::string& problem);
// What the client sent inside TLS (decrypted application data, in order).
std::string clientPlaintext(const model::TraceConnection& connection);

}  // namespace tlslab::course
