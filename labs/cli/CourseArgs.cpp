#include "cli/CourseArgs.hpp"

#include <cstdlib>

#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::cli {

ResolvedStudent resolveStudent(const StudentArgs& args) {
  ResolvedStudent out;
  if (!args.keyFile.empty()) {
    auto read = course::readStudentKey(args.keyFile);
    if (!read) {
      out.error = read.error();
      return out;
    }
    if (!args.student.empty() && args.student != read.value().student) {
      out.error = "the key file " + args.keyFile + " is " + read.value().student + "'s, not " + args.student + "'s";
      return out;
    }
    out.credentials = read.value();
    out.selfStudy = false;
    return out;
  }
  std::string student = args.student;
  if (student.empty()) {
    const char* user = std::getenv("USER");
    student = user != nullptr && course::validStudentId(user) ? user : "student";
  }
  if (!course::validStudentId(student)) {
    out.error = "'" + student + "' is not a student ID (1-64 of A-Z a-z 0-9 . _ -)";
    return out;
  }
  out.credentials = course::credentialsFor(asBytes(course::kSelfStudySecret), student);
  return out;
}

}  // namespace tlslab::cli
