#include "tlslab/scenarios/course/Class.hpp"

#include <fmt/core.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::course {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxSmallFile = 64 * 1024;

// A small text file (secret, key, roster): regular, bounded, readable.
pki::Result<std::string> readSmallText(const fs::path& file, const char* what) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return pki::Result<std::string>::failure(fmt::format("{} {}: no such file", what, file.string()));
  if (!S_ISREG(st.st_mode)) return pki::Result<std::string>::failure(fmt::format("{} {}: not a regular file", what, file.string()));
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxSmallFile)
    return pki::Result<std::string>::failure(fmt::format("{} {}: too large ({} bytes)", what, file.string(), st.st_size));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return pki::Result<std::string>::failure(fmt::format("{} {}: cannot be read", what, file.string()));
  return pki::Result<std::string>::success(text.str());
}

std::vector<std::string> contentLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    lines.push_back(line.substr(start));
  }
  return lines;
}

}  // namespace

std::string newClassSecretText() {
  return "# tlslab class secret: keep it private (it derives every student's key and answers).\n" +
         toHex(crypto::randomBytes(32)) + "\n";
}

pki::Result<Bytes> readClassSecret(const fs::path& file) {
  auto text = readSmallText(file, "class secret");
  if (!text) return pki::Result<Bytes>::failure(text.error());
  std::string hex;
  for (const auto& line : contentLines(text.value())) hex += line;
  auto bytes = fromHex(hex);
  if (!bytes || bytes->size() < 16)
    return pki::Result<Bytes>::failure("class secret " + file.string() +
                                       ": expected at least 32 hex digits (make one with `tlslab class secret`)");
  return pki::Result<Bytes>::success(std::move(*bytes));
}

StudentCredentials credentialsFor(ByteView classSecret, const std::string& student) {
  return {student, studentKey(classSecret, student), classTag(classSecret)};
}

std::string studentKeyText(const StudentCredentials& c) {
  return fmt::format(
      "# tlslab student key: give it to `tlslab lab start N --key THIS_FILE`.\n"
      "# It makes your lab materials your own; keep it to yourself.\n"
      "student: {}\nclass: {}\nkey: {}\n",
      c.student, c.classTag, toHex(c.key));
}

pki::Result<StudentCredentials> readStudentKey(const fs::path& file) {
  auto text = readSmallText(file, "student key");
  if (!text) return pki::Result<StudentCredentials>::failure(text.error());
  StudentCredentials c;
  for (const auto& line : contentLines(text.value())) {
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(line.find_first_not_of(" \t", colon + 1) == std::string::npos
                                        ? line.size()
                                        : line.find_first_not_of(" \t", colon + 1));
    if (name == "student") c.student = value;
    else if (name == "class") c.classTag = value;
    else if (name == "key") {
      auto key = fromHex(value);
      if (key) c.key = *key;
    }
  }
  if (!validStudentId(c.student) || c.key.size() != 32 || c.classTag.empty())
    return pki::Result<StudentCredentials>::failure("student key " + file.string() +
                                                    ": needs 'student:', 'class:' and a 64-digit 'key:' line "
                                                    "(as `tlslab class roster` writes them)");
  return pki::Result<StudentCredentials>::success(std::move(c));
}

pki::Result<std::vector<std::string>> readRoster(const fs::path& file) {
  auto text = readSmallText(file, "roster");
  if (!text) return pki::Result<std::vector<std::string>>::failure(text.error());
  std::vector<std::string> students;
  int lineNo = 0;
  std::istringstream in(text.value());
  for (std::string line; std::getline(in, line);) {
    ++lineNo;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::string id = line.substr(start);
    if (!validStudentId(id))
      return pki::Result<std::vector<std::string>>::failure(
          fmt::format("roster {} line {}: '{}' is not a student ID (1-64 of A-Z a-z 0-9 . _ -)", file.string(), lineNo, id));
    students.push_back(id);
  }
  if (students.empty()) return pki::Result<std::vector<std::string>>::failure("roster " + file.string() + ": no students");
  return pki::Result<std::vector<std::string>>::success(std::move(students));
}

}  // namespace tlslab::course
