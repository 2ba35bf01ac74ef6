#pragma once
// Text and JSON renderings of lab results for the terminal.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/HandshakeCompare.hpp"
#include "tlslab/scenarios/MitmLab.hpp"

namespace tlslab::cli {

// Both legs side by side: what the victim saw versus what the real server sent.
void printMitmLegs(std::ostream& out, const scenarios::MitmOutcome& outcome);
// One line of verdict: who connected, which check failed, what was stolen.
void printMitmVerdict(std::ostream& out, const scenarios::MitmOutcome& outcome);
// Every depth of a client's chain check, leaf first, saying why a depth was never reached.
void printVerifyTrace(std::ostream& out, const model::VerifyVerdict& verdict, const std::string& indent = "  ");
void printMitmMatrix(std::ostream& out, const std::vector<scenarios::MitmOutcome>& outcomes);
nlohmann::json mitmJson(const scenarios::MitmOutcome& outcome);

// The full and the resumed handshake side by side, and what the second leaves out.
void printHandshakeComparison(std::ostream& out, const scenarios::HandshakeComparison& comparison);

void printGalleryResult(std::ostream& out, const scenarios::GalleryResult& result);
nlohmann::json galleryJson(const scenarios::GalleryResult& result);

}  // namespace tlslab::cli
