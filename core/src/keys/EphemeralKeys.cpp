// Ephemeral (EC)DHE keys in the KeyStore and their one-line text form.
#include <fstream>
#include <sstream>

#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::keys {
namespace {

constexpr std::size_t kMaxFile = 4u << 20;  // thousands of keys; a bigger file is not ours

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

std::string ephemeralKeyText(const std::vector<EphemeralKey>& keys) {
  std::string out =
      "# tlslab ephemeral (EC)DHE keys: EPHEMERAL_KEY <group> <key share> <private key> [<p> <g>]\n"
      "# Private keys of one lab run; with them every secret of its handshakes can be derived.\n";
  for (const auto& k : keys) {
    out += "EPHEMERAL_KEY " + k.pair.group + " " + toHex(k.pair.publicKey) + " " + toHex(k.pair.privateKey);
    if (k.pair.group == "dh") out += " " + toHex(k.pair.dhP) + " " + toHex(k.pair.dhG);
    out += "\n";
  }
  return out;
}

void KeyStore::addEphemeralKey(crypto::KeyPair pair, std::string source) {
  for (const auto& k : ephemeral_)
    if (k.pair.group == pair.group && k.pair.publicKey == pair.publicKey) return;  // both legs of a proxy, a re-read
  ephemeral_.push_back({std::move(pair), std::move(source)});
}

std::vector<model::Diagnostic> KeyStore::addEphemeralKeyText(std::string_view text, std::string_view source) {
  std::vector<model::Diagnostic> diagnostics;
  std::istringstream in{std::string(text)};
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const std::string where = std::string(source) + " line " + std::to_string(number);
    auto w = words(line);
    if (w.empty() || w[0][0] == '#') continue;
    auto bad = [&](const std::string& why) {
      diagnostics.push_back({model::Severity::Warning, where, std::nullopt, why, model::DiagnosticCode::EphemeralKeyLine});
    };
    if (w[0] != "EPHEMERAL_KEY") {
      bad("not an ephemeral key line (expected EPHEMERAL_KEY <group> <key share> <private key>)");
      continue;
    }
    crypto::KeyPair pair;
    pair.group = w.size() > 1 ? crypto::canonicalGroup(w[1]) : std::string();
    if (pair.group.empty()) {
      bad("unknown group \"" + (w.size() > 1 ? w[1] : std::string()) + "\"");
      continue;
    }
    const std::size_t fields = pair.group == "dh" ? 6 : 4;
    if (w.size() != fields) {
      bad("expected " + std::to_string(fields) + " fields for group " + pair.group + ", got " + std::to_string(w.size()));
      continue;
    }
    auto pub = fromHex(w[2]);
    auto priv = fromHex(w[3]);
    if (!pub || !priv || pub->empty() || priv->empty()) {
      bad("the key share and private key must be hex");
      continue;
    }
    pair.publicKey = *pub;
    pair.privateKey = *priv;
    if (fields == 6) {
      auto p = fromHex(w[4]);
      auto g = fromHex(w[5]);
      if (!p || !g) {
        bad("p and g must be hex");
        continue;
      }
      pair.dhP = *p;
      pair.dhG = *g;
    }
    addEphemeralKey(std::move(pair), where);
  }
  return diagnostics;
}

crypto::Result<std::vector<model::Diagnostic>> KeyStore::addEphemeralKeyFile(const std::filesystem::path& path) {
  if (auto problem = keyFileProblem(path); !problem.empty()) return crypto::fail(problem);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return crypto::fail("cannot read " + path.string() + ": " + ec.message());
  if (size > kMaxFile) return crypto::fail(path.string() + " is " + std::to_string(size) + " bytes: too big for an ephemeral key file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return crypto::fail("cannot read " + path.string());
  return addEphemeralKeyText(text.str(), path.filename().string());
}

const EphemeralKey* KeyStore::findEphemeralKey(ByteView publicShare) const {
  for (const auto& k : ephemeral_)
    if (crypto::samePublicKey(k.pair.group, k.pair.publicKey, publicShare)) return &k;
  return nullptr;
}

}  // namespace tlslab::keys
