#pragma once
// A teacher's side of the course: the class secret, the student key files
// handed out from it, and grading a folder of submitted workspaces.
//
// Binding (docs/DESIGN.md, "The course: variants and binding"): every value a
// lab checks is derived from HMAC(class secret, student). The grader
// regenerates each student's key from the secret and
//  - rejects a workspace whose student key is not the one issued to the
//    student it claims, or whose class tag is another class's (it was made
//    from someone else's workspace or outside the class), and
//  - judges every answer against the variant of the student whose folder it
//    is, never against what the workspace says, so copied answers fail.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/pki/Result.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::course {

// A new random class secret as the text of a secret file (hex, with a comment).
std::string newClassSecretText();
// Reads a secret file (hex; comment lines starting with '#'); at least 16 bytes.
pki::Result<Bytes> readClassSecret(const std::filesystem::path& file);

// What a student receives from the teacher: their ID, key and class tag.
struct StudentCredentials {
  std::string student;
  Bytes key;
  std::string classTag;
};
StudentCredentials credentialsFor(ByteView classSecret, const std::string& student);
std::string studentKeyText(const StudentCredentials& credentials);
pki::Result<StudentCredentials> readStudentKey(const std::filesystem::path& file);

// Student IDs of a roster file: one per line, '#' comments; bad lines named.
pki::Result<std::vector<std::string>> readRoster(const std::filesystem::path& file);

struct GradeRow {
  std::string student;
  int lab = 0;
  std::string check;   // a check id, or "workspace" for the binding itself
  std::string result;  // pass, fail, missing, skipped, rejected
  std::string detail;
};

struct GradeReport {
  std::vector<std::string> students;  // every submission folder, sorted
  std::vector<GradeRow> rows;
  std::vector<std::string> notes;     // folders that hold no workspace, unreadable files…
};

struct GradeOptions {
  std::filesystem::path submissions;  // SUBMISSIONS/<student>/tlslab-lab-N/ (or SUBMISSIONS/<student>/ itself)
  Bytes classSecret;
  std::filesystem::path certsDir;
  std::vector<int> labs;  // empty: every lab found
  std::function<void(const std::string&)> progress;
};

GradeReport gradeClass(const GradeOptions& options);
std::string gradeCsv(const GradeReport& report);      // student,lab,check,result,detail (RFC 4180 quoting)
std::string gradeSummary(const GradeReport& report);  // one page: per student, per lab, per check, problems

}  // namespace tlslab::course
