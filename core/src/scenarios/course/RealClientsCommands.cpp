#include "RealClientsCommands.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <system_error>

namespace tlslab::course::realclients {

namespace fs = std::filesystem;

namespace {

std::string url(const LoginTarget& t) { return "https://" + std::string(kHost) + ":" + std::to_string(t.port) + "/login"; }
std::string hostPort(const LoginTarget& t) { return std::string(kHost) + ":" + std::to_string(t.port); }

// The same POST the other clients send, for the clients that read a request from stdin.
std::string rawRequest(const LoginTarget& t) {
  return "POST /login HTTP/1.1\r\nHost: " + hostPort(t) +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(t.body().size()) +
         "\r\nConnection: close\r\n\r\n" + t.body();
}

// printf 'POST … \r\n…' as a student types it in front of the pipe.
std::string printfCommand(std::string_view text) {
  std::string format;
  for (char c : text) {
    switch (c) {
      case '\r': format += "\\r"; break;
      case '\n': format += "\\n"; break;
      case '\\': format += "\\\\"; break;
      case '%': format += "%%"; break;
      default: format += c; break;
    }
  }
  return "printf " + shellQuote(format) + " | ";
}

Invocation commandLine(std::vector<std::string> argv, const std::string& stdinText = {}) {
  argv[0] = displayedProgram(argv[0]);
  Invocation inv;
  inv.shown = (stdinText.empty() ? "" : printfCommand(stdinText)) + shellLine(argv);
  return inv;
}

Invocation curl(const LoginTarget& t, bool insecure) {
  std::vector<std::string> argv{t.program("curl"), "-sS"};
  if (insecure) argv.push_back("-k");
  else argv.insert(argv.end(), {"--cacert", t.rootCa.string()});
  std::string resolve = hostPort(t) + ":" + t.proxyAddress;
  if (t.clientResolves) argv.insert(argv.end(), {"--resolve", resolve});
  argv.insert(argv.end(), {"-d", t.body(), url(t)});
  Invocation inv = commandLine(argv);
  if (t.clientResolves) inv.resolution = "curl --resolve " + resolve;
  return inv;
}

Invocation wget(const LoginTarget& t) {
  return commandLine({t.program("wget"), "--tries=1", "--ca-certificate=" + t.rootCa.string(), "--post-data=" + t.body(),
                      "-O", "-", url(t)});
}

Invocation python(const LoginTarget& t) {
  // Double quotes inside, so the shell's single quotes around the script need no escapes.
  std::string script = "import http.client, ssl; ctx = ssl.create_default_context(cafile=\"" + t.rootCa.string() +
                       "\"); c = http.client.HTTPSConnection(\"" + std::string(kHost) + "\", " + std::to_string(t.port) +
                       ", context=ctx, timeout=8); c.request(\"POST\", \"/login\", \"" + t.body() +
                       "\", {\"Content-Type\": \"application/x-www-form-urlencoded\"}); print(c.getresponse().read().decode())";
  return commandLine({t.program("python3"), "-c", script});
}

Invocation gnutls(const LoginTarget& t) {
  std::vector<std::string> argv{t.program("gnutls-cli"), "--x509cafile=" + t.rootCa.string(), "--port=" + std::to_string(t.port)};
  // Its own mapping: connect to the address, send SNI and verify for the name.
  if (t.clientResolves) argv.insert(argv.end(), {"--sni-hostname=" + std::string(kHost), "--verify-hostname=" + std::string(kHost), t.proxyAddress});
  else argv.emplace_back(kHost);
  Invocation inv = commandLine(argv, rawRequest(t));
  if (t.clientResolves) inv.resolution = "gnutls-cli " + t.proxyAddress + " --verify-hostname=" + std::string(kHost);
  return inv;
}

Invocation openssl(const LoginTarget& t, bool strict) {
  // -ign_eof: stdin ends after the request; wait for the bank's answer instead of hanging up.
  std::string connect = t.clientResolves ? t.proxyAddress + ":" + std::to_string(t.port) : hostPort(t);
  std::vector<std::string> argv{t.program("openssl"), "s_client", "-connect", connect, "-CAfile", t.rootCa.string(), "-ign_eof"};
  if (t.clientResolves) argv.insert(argv.end(), {"-servername", std::string(kHost)});
  if (strict) argv.insert(argv.end(), {"-verify_return_error", "-verify_hostname", std::string(kHost)});
  Invocation inv = commandLine(argv, rawRequest(t));
  if (t.clientResolves) inv.resolution = "openssl s_client -connect " + connect + " -servername " + std::string(kHost);
  return inv;
}

}  // namespace

std::vector<std::string> linesOf(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    auto start = line.find_first_not_of(" \t");
    if (start != std::string::npos) lines.push_back(line.substr(start));
  }
  return lines;
}

std::string stripTags(std::string_view html) {
  std::string text;
  bool inTag = false;
  for (char c : html) {
    if (c == '<') inTag = true;
    else if (c == '>') inTag = false;
    else if (!inTag) text += c;
  }
  for (auto [entity, plain] : {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}})
    for (auto pos = text.find(entity); pos != std::string::npos; pos = text.find(entity, pos + 1))
      text.replace(pos, std::string_view(entity).size(), plain);
  return text;
}

namespace {

// The first line holding one of `markers` (and none of `except`).
std::string firstLineWith(std::string_view text, std::initializer_list<std::string_view> markers,
                          std::initializer_list<std::string_view> except = {}) {
  for (const auto& line : linesOf(text)) {
    bool excluded = false;
    for (auto e : except) excluded |= line.find(e) != std::string::npos;
    if (excluded) continue;
    for (auto m : markers)
      if (line.find(m) != std::string::npos) return line;
  }
  return {};
}

std::string lastLine(std::string_view text) {
  auto lines = linesOf(text);
  return lines.empty() ? std::string() : lines.back();
}

}  // namespace

std::string bankLine(std::string_view out) { return stripTags(firstLineWith(out, {"Welcome back"})); }

std::vector<Needed> neededPrograms(RealClient client) {
  switch (client) {
    case RealClient::Curl:
    case RealClient::CurlInsecure: return {{"curl", "curl"}};
    case RealClient::Wget: return {{"wget", "wget"}};
    case RealClient::Python: return {{"python3", "python3"}};
    case RealClient::GnutlsCli: return {{"gnutls-cli", "gnutls-bin"}};
    case RealClient::OpensslDefault:
    case RealClient::OpensslStrict: return {{"openssl", "openssl"}};
    case RealClient::Chromium: return {{"chromium", "chromium"}, {"certutil", "libnss3-tools"}};
    default: return {};
  }
}

std::optional<Invocation> invocationFor(RealClient client, const LoginTarget& target, std::string* whyNot) {
  switch (client) {
    case RealClient::Curl: return curl(target, false);
    case RealClient::CurlInsecure: return curl(target, true);
    case RealClient::GnutlsCli: return gnutls(target);
    case RealClient::OpensslDefault: return openssl(target, false);
    case RealClient::OpensslStrict: return openssl(target, true);
    case RealClient::Chromium: return browserInvocation(target);
    case RealClient::Wget:
    case RealClient::Python:
      if (target.clientResolves) {
        if (whyNot) *whyNot = std::string(realClientName(client)) + " has no option to map " + std::string(kHost) +
                              " to the attacker: it needs the hosts line";
        return std::nullopt;
      }
      return client == RealClient::Wget ? wget(target) : python(target);
    default:
      if (whyNot) *whyNot = "unknown client";
      return std::nullopt;
  }
}

bool clientRefused(RealClient client, const ProgramResult& result, const std::string& errorCode) {
  if (!result.started || result.timedOut || result.signal != 0) return false;  // it never gave a verdict
  if (client == RealClient::Chromium) return !errorCode.empty();  // an error page, with exit status 0
  return result.exitCode != 0;
}

std::string clientWords(RealClient client, const ProgramResult& result) {
  const std::string all = result.out + "\n" + result.err;
  std::string words;
  switch (client) {
    case RealClient::Curl:
    case RealClient::CurlInsecure: words = firstLineWith(result.err, {"curl: ("}); break;
    case RealClient::Wget:
      words = firstLineWith(result.err, {"ERROR", "does not match", "not trusted", "certificate", "Unable to"},
                            {"Loaded CA certificate"});
      break;
    case RealClient::Python: words = result.exitCode != 0 ? lastLine(result.err) : ""; break;
    case RealClient::GnutlsCli:
      words = firstLineWith(all, {"- Status:"});
      if (words.empty()) words = firstLineWith(all, {"*** "});
      break;
    case RealClient::OpensslStrict:
      words = firstLineWith(all, {"verify error:"});
      if (words.empty()) words = firstLineWith(all, {"Verify return code:"});
      break;
    case RealClient::OpensslDefault: words = firstLineWith(all, {"Verify return code:"}); break;
    case RealClient::Chromium:
    default: break;  // Chromium's words come from its page (readBrowserPage)
  }
  if (words.empty()) words = bankLine(result.out);
  if (words.empty()) words = lastLine(result.err);
  if (words.empty()) words = "(said nothing; it " + result.describe() + ")";
  return bounded(words);
}

namespace {
bool shellSafe(std::string_view word) {
  bool safe = !word.empty();
  for (char c : word)
    safe &= std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_./:=,@%+-").find(c) != std::string_view::npos;
  return safe;
}
}  // namespace

std::string shellQuote(std::string_view word) {
  if (shellSafe(word)) return std::string(word);
  // --option=value: quote the value only, as people write it (--post-data='a&b').
  if (auto eq = word.find('='); word.rfind("--", 0) == 0 && eq != std::string_view::npos && shellSafe(word.substr(0, eq + 1)))
    return std::string(word.substr(0, eq + 1)) + shellQuote(word.substr(eq + 1));
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string shellLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& word : argv) line += (line.empty() ? "" : " ") + shellQuote(word);
  return line;
}

std::string displayedProgram(const fs::path& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / program.filename();
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    std::error_code ec;
    // The first hit is what the shell runs: the same file, or another program (a pyenv shim).
    return fs::equivalent(candidate, program, ec) ? program.filename().string() : program.string();
  }
  return program.string();
}

std::string bounded(std::string text, std::size_t limit) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (text.size() <= limit) return text;
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;  // not inside a UTF-8 character
  return text.substr(0, limit) + "…";
}

}  // namespace tlslab::course::realclients
