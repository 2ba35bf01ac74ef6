#include "tlslab/keys/KeyStore.hpp"

#include <fstream>
#include <sstream>

namespace tlslab::keys {
namespace {

Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

// A PEM or PKCS#12 key is a few KB; a chain of certificates beside it, tens.
constexpr std::uintmax_t kMaxKeyFile = 1 << 20;

// Reads a private-key file: only a regular file, at most kMaxKeyFile bytes
// (never /dev/zero, a directory or a pipe read without end).
crypto::Result<std::string> readKeyFile(const std::filesystem::path& path) {
  if (auto problem = keyFileProblem(path); !problem.empty()) return crypto::fail(problem);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return crypto::fail("cannot read " + path.string() + ": " + ec.message());
  if (size > kMaxKeyFile)
    return crypto::fail(path.string() + " is " + std::to_string(size) + " bytes: a key file is at most " +
                        std::to_string(kMaxKeyFile) + " (1 MiB); is it the right file?");
  std::ifstream in(path, std::ios::binary);
  if (!in) return crypto::fail("cannot open " + path.string());
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.bad()) return crypto::fail("cannot read " + path.string());
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

std::string keyFileProblem(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return "cannot open " + path.string() + ": no such file";
  if (std::filesystem::is_directory(status)) return path.string() + " is a directory, not a key file";
  if (!std::filesystem::is_regular_file(status))
    return path.string() + " is not a regular file (a device, pipe or socket): key files are read from disk";
  return {};
}

const Bytes* SessionSecrets::secret(crypto::SecretKind kind) const {
  auto it = tls13.find(kind);
  return it == tls13.end() ? nullptr : &it->second;
}

SessionSecrets& KeyStore::session(ByteView clientRandom) {
  auto& s = sessions_[copy(clientRandom)];
  if (s.clientRandom.empty()) s.clientRandom = copy(clientRandom);
  return s;
}

void KeyStore::add(const KeyLogEntry& e, std::string_view source) {
  const std::string where = std::string(source) + " line " + std::to_string(e.line);
  switch (e.type) {
    case KeyLogType::ClientRandom: addMasterSecret(e.id, e.secret, where); break;
    case KeyLogType::PmsClientRandom: {
      auto& s = session(e.id);
      s.preMasterSecret = e.secret;
      s.sources.push_back(where);
      break;
    }
    case KeyLogType::RsaEncryptedPms: byEncryptedPms_[e.id] = e.secret; break;
    case KeyLogType::RsaSessionId: bySessionId_[e.id] = e.secret; break;
    case KeyLogType::Tls13UpdatedTrafficSecret: {
      auto& s = session(e.id);
      (e.clientSide ? s.clientUpdatedSecrets : s.serverUpdatedSecrets).push_back(e.secret);
      s.sources.push_back(where);
      break;
    }
    case KeyLogType::Tls13Secret:
      if (e.kind) addTls13Secret(e.id, *e.kind, e.secret, where);
      break;
    default: break;
  }
}

std::vector<model::Diagnostic> KeyStore::addKeyLogText(std::string_view text, std::string_view source) {
  auto parsed = parseKeyLog(text, source);
  for (const auto& entry : parsed.entries) add(entry, source);
  return std::move(parsed.diagnostics);
}

crypto::Result<std::vector<model::Diagnostic>> KeyStore::addKeyLogFile(const std::filesystem::path& path) {
  if (auto problem = keyFileProblem(path); !problem.empty()) return crypto::fail(problem);
  std::ifstream in(path, std::ios::binary);
  if (!in) return crypto::fail("cannot open " + path.string());
  auto parsed = parseKeyLogStream(in, path.filename().string());
  if (in.bad()) return crypto::fail("cannot read " + path.string());
  for (const auto& entry : parsed.entries) add(entry, path.filename().string());
  return std::move(parsed.diagnostics);
}

void KeyStore::addTls13Secret(ByteView clientRandom, crypto::SecretKind kind, ByteView secret, std::string source) {
  auto& s = session(clientRandom);
  s.tls13[kind] = copy(secret);
  s.tls13Sources[kind] = source;
  s.sources.push_back(std::move(source));
}

void KeyStore::addMasterSecret(ByteView clientRandom, ByteView masterSecret, std::string source) {
  auto& s = session(clientRandom);
  s.masterSecret = copy(masterSecret);
  s.sources.push_back(std::move(source));
}

void KeyStore::addMasterSecretForSessionId(ByteView sessionId, ByteView masterSecret) {
  if (!sessionId.empty()) bySessionId_[copy(sessionId)] = copy(masterSecret);
}

void KeyStore::addMasterSecretForTicket(ByteView ticket, ByteView masterSecret) {
  if (!ticket.empty()) byTicket_[copy(ticket)] = copy(masterSecret);
}

crypto::Result<std::size_t> KeyStore::addPrivateKeyPem(std::string_view pem, std::string_view password,
                                                       std::string source) {
  auto key = crypto::PrivateKey::fromPem(pem, password);
  if (!key) return crypto::fail(source + ": " + key.error());
  keys_.push_back({std::move(key).value(), std::move(source)});
  return keys_.size();
}

crypto::Result<std::size_t> KeyStore::addPrivateKeyFile(const std::filesystem::path& path, std::string_view password) {
  auto text = readKeyFile(path);
  if (!text) return crypto::fail(text.error());
  const auto ext = path.extension().string();
  if (ext == ".p12" || ext == ".pfx") {
    auto key = crypto::PrivateKey::fromPkcs12(asBytes(*text), password);
    if (!key) return crypto::fail(path.string() + ": " + key.error());
    keys_.push_back({std::move(key).value(), path.filename().string()});
    return keys_.size();
  }
  return addPrivateKeyPem(*text, password, path.filename().string());
}

void KeyStore::addPsk(Bytes key, std::optional<std::string> identity, std::string source) {
  psks_.push_back({std::move(key), std::move(identity), std::move(source)});
}

const PreSharedKey* KeyStore::findPsk(ByteView identity) const {
  const std::string name(identity.begin(), identity.end());
  for (const auto& psk : psks_)
    if (psk.identity && *psk.identity == name) return &psk;
  for (const auto& psk : psks_)
    if (!psk.identity) return &psk;
  return nullptr;
}

const SessionSecrets* KeyStore::findByClientRandom(ByteView clientRandom) const {
  auto it = sessions_.find(copy(clientRandom));
  return it == sessions_.end() ? nullptr : &it->second;
}

std::optional<Bytes> KeyStore::findMasterBySessionId(ByteView sessionId) const {
  auto it = bySessionId_.find(copy(sessionId));
  if (it == bySessionId_.end()) return std::nullopt;
  return it->second;
}

std::optional<Bytes> KeyStore::findMasterByTicket(ByteView ticket) const {
  auto it = byTicket_.find(copy(ticket));
  if (it == byTicket_.end()) return std::nullopt;
  return it->second;
}

std::optional<Bytes> KeyStore::findPreMasterByEncryptedPms(ByteView encryptedPms) const {
  if (encryptedPms.size() < 8) return std::nullopt;
  auto it = byEncryptedPms_.find(copy(encryptedPms.first(8)));
  if (it == byEncryptedPms_.end()) return std::nullopt;
  return it->second;
}

model::DerivationStep KeyStore::recoverPreMasterSecret(ByteView encryptedPms) const {
  std::string tried;
  for (const auto& loaded : keys_) {
    auto step = crypto::recoverRsaPreMasterSecret(loaded.key, encryptedPms);
    if (step.status != model::StepStatus::Failed) {
      step.note = "with " + loaded.key.description() + " key from " + loaded.source + ". " + step.note;
      return step;
    }
    tried += (tried.empty() ? "" : "; ") + loaded.source + ": " + step.note;
  }
  model::DerivationStep step;
  step.name = "pre_master_secret";
  step.node = model::ScheduleNode::PreMasterSecret;
  step.rfc = "RFC 5246 §7.4.7.1";
  step.inputs = {{"EncryptedPreMasterSecret (ClientKeyExchange)", copy(encryptedPms)}};
  if (auto pms = findPreMasterByEncryptedPms(encryptedPms)) {
    step.function = "key log line \"RSA <first 8 bytes of EncryptedPreMasterSecret> <pre_master_secret>\"";
    step.output = *pms;
    step.status = model::StepStatus::FromKeyLog;
    return step;
  }
  step.function = "RSAES-PKCS1-v1_5 decrypt(server private key, EncryptedPreMasterSecret)";
  step.status = model::StepStatus::NotDerivable;
  step.note = keys_.empty() ? "no RSA server key loaded and no RSA key log line for this ClientKeyExchange"
                            : "no loaded key decrypts it (" + tried + ")";
  return step;
}

std::vector<const SessionSecrets*> KeyStore::sessions() const {
  std::vector<const SessionSecrets*> out;
  for (const auto& [random, s] : sessions_) out.push_back(&s);
  return out;
}

}  // namespace tlslab::keys
