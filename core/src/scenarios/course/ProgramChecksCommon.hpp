#pragma once
// Internal to the program checks: setting up the lab's servers, running the
// student's client against one, and reading what the server saw.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"

namespace tlslab::course::detail {

// The HTTPS hello page of bank32.com (or a gallery entry's chain) carrying `token`,
// closing each connection after its response so a textbook read loop ends.
pki::Result<std::unique_ptr<endpoints::LabServer>> startPageServer(const std::filesystem::path& certsDir,
                                                                   const std::string& entryDir,
                                                                   const std::string& token);

// Runs the program as `PROGRAM HOST PORT` in the workspace with HOST -> address.
ProgramResult runClientProgram(const ClientCheckOptions& options, const std::string& host, const std::string& address,
                               std::uint16_t port);

// Fills the "what the server saw" part of a trial from its finished connections.
void readServerSide(const std::vector<endpoints::ServerConnection>& connections, ClientTrial& trial);

// One run against the lab server at 127.0.0.1 (the page check, and the
// control run of the gallery and attacker checks).
ClientTrial tryLabServer(const ClientCheckOptions& options);

// One run against a gallery entry's chain served at 127.0.0.1.
ClientTrial tryGalleryEntry(const ClientCheckOptions& options, const pki::CatalogEntry& entry);

// The verdict of a lab-server trial: printed the token, or what went wrong instead.
CheckResult judgePageTrial(const ClientTrial& trial, const std::string& token);

// When a trial cannot be judged (the scenario or the hosts step failed): the result to return.
std::optional<CheckResult> unjudgeable(const ClientTrial& trial);

// The first alert in `events` that was received (sent = false) or sent, as
// "certificate_expired (45)" from its bytes (IANA names); "" when none.
std::string alertIn(const std::vector<endpoints::Event>& events, bool sent);

// "GET / HTTP/1.1" from a request; "" when there is none.
std::string firstLine(const std::string& text);
// "it printed on stderr: …" (bounded), or "" when it printed nothing.
std::string quotedOutput(const ProgramResult& program);
// The trial's program and server side in one line, for evidence.
std::string trialSummary(const ClientTrial& trial);

}  // namespace tlslab::course::detail
