#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "cli/CertsOutput.hpp"
#include "tlslab/pki/CertificateInfo.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> filesIn(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(dir, ec)) names.push_back(item.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string hostLine(const pki::VerifyOptions& options) {
  if (!options.host) return "no host name check";
  return fmt::format("host \"{}\" ({})", *options.host,
                     options.allowCnFallback ? "SAN, else subject CN" : "SAN only, like browsers");
}

// Base64 body between the PEM armour lines -> DER (RFC 7468 §2).
std::vector<Bytes> pemBlocks(const std::string& text) {
  std::vector<Bytes> out;
  static constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
  static constexpr std::string_view end = "-----END CERTIFICATE-----";
  std::size_t pos = 0;
  while ((pos = text.find(begin, pos)) != std::string::npos) {
    std::size_t stop = text.find(end, pos);
    if (stop == std::string::npos) break;
    std::string b64;
    for (std::size_t i = pos + begin.size(); i < stop; ++i) {
      if (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '+' || text[i] == '/' || text[i] == '=') {
        b64 += text[i];
      }
    }
    Bytes der;
    unsigned value = 0;
    int bits = 0;
    for (char c : b64) {
      if (c == '=') break;
      static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      value = (value << 6) | static_cast<unsigned>(alphabet.find(c));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        der.push_back(static_cast<std::uint8_t>((value >> bits) & 0xff));
      }
    }
    out.push_back(std::move(der));
    pos = stop + end.size();
  }
  return out;
}

}  // namespace

void printCatalog(std::ostream& out, const fs::path& certsDir) {
  out << fmt::format("Lab PKI in {} (every private key here is public teaching material)\n\n", certsDir.string());
  pki::EntryKind kind = pki::EntryKind::Gallery;
  bool first = true;
  for (const auto& entry : pki::catalog()) {
    if (first || entry.kind != kind) {
      out << (first ? "" : "\n") << "[" << pki::entryKindName(entry.kind) << "]\n";
      kind = entry.kind;
      first = false;
    }
    out << fmt::format("  {:<17} {}\n", entry.name, entry.teaches);
    std::string files;
    for (const auto& name : filesIn(certsDir / entry.dir)) files += (files.empty() ? "" : " ") + name;
    out << fmt::format("  {:<17} {}/: {}\n", "", entry.dir, files.empty() ? "(missing)" : files);
  }
  out << "\n[trust directory]\n";
  out << fmt::format("  {:<17} {}\n", "hashed", "c_rehash layout: <subject-hash>.0 -> root CA, <issuer-hash>.r0 -> CRL");
  std::string files;
  for (const auto& name : filesIn(certsDir / pki::kHashedDir)) files += (files.empty() ? "" : " ") + name;
  out << fmt::format("  {:<17} hashed/: {}\n", "", files.empty() ? "(missing)" : files);
}

void printVerification(std::ostream& out, const pki::CatalogEntry& entry, const pki::VerifyOptions& options,
                       const model::VerifyVerdict& verdict) {
  out << fmt::format("Verifying {} ({}) as a {} certificate\n", entry.name, entry.dir, pki::purposeName(options.purpose));
  out << fmt::format("  trust store: {}, security level {}, CRL check {}, {}\n\n", pki::trustStoreName(options.trust),
                     options.authLevel, options.checkCrl ? "on" : "off", hostLine(options));
  for (const auto& step : verdict.steps) {
    out << fmt::format("  depth {}  subject   {}\n", step.depth, step.subject);
    out << fmt::format("           issuer    {}\n", step.issuer);
    out << fmt::format("           validity  {} .. {}\n", step.notBefore, step.notAfter);
    if (step.ok) {
      out << "           result    ok\n";
    } else {
      out << fmt::format("           result    FAIL {} ({}): {}\n", step.errorName, step.errorCode, step.errorText);
    }
  }
  out << "\n";
  if (verdict.ok) {
    out << "Verdict: OK (X509_V_OK) -- the chain verifies\n";
  } else {
    out << fmt::format("Verdict: FAIL at depth {}: {} ({}): {}\n", verdict.errorDepth, verdict.errorName,
                       verdict.errorCode, verdict.errorText);
  }
  out << fmt::format("Gallery expectation (correct client, default options): {}{}\n", pki::verifyErrorName(entry.expectedError),
                     entry.expectedDepth >= 0 ? fmt::format(" at depth {}", entry.expectedDepth) : "");
}

void printField(std::ostream& out, const model::Field& field, int indent) {
  std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  out << fmt::format("{}{}{} [{}+{}]: {}\n", pad, field.malformed ? "!! " : "", field.name, field.offset, field.length,
                     field.value);
  if (!field.meaning.empty()) out << fmt::format("{}    {} ({})\n", pad, field.meaning, field.rfc);
  for (const auto& child : field.children) printField(out, child, indent + 1);
}

int printCertificateFile(std::ostream& out, std::ostream& err, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "tlslab certs show: cannot read " << file.string() << "\n";
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Bytes> ders = pemBlocks(text);
  if (ders.empty()) ders.push_back(toBytes(text));  // not PEM: treat as DER
  bool anyMalformed = false;
  for (std::size_t i = 0; i < ders.size(); ++i) {
    if (ders.size() > 1) out << fmt::format("# certificate {} of {} in {}\n", i + 1, ders.size(), file.string());
    model::Field field = pki::describeCertificate(ders[i], 0);
    anyMalformed = anyMalformed || field.malformed;
    printField(out, field);
  }
  return anyMalformed ? 2 : 0;
}

}  // namespace tlslab::cli
