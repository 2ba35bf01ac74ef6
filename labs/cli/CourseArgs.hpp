#pragma once
// Who the student is, for `tlslab lab start|check` and `tlslab lab run
// --student`: a key file from the teacher, or a self-study ID.
#include <optional>
#include <string>

#include "tlslab/scenarios/course/Class.hpp"

namespace tlslab::cli {

struct StudentArgs {
  std::string student;  // --student ("" = the key file's, else $USER, else "student")
  std::string keyFile;  // --key
};

// The credentials to use, or an error message (already phrased for the user).
struct ResolvedStudent {
  course::StudentCredentials credentials;
  bool selfStudy = true;
  std::string error;
};
ResolvedStudent resolveStudent(const StudentArgs& args);

}  // namespace tlslab::cli
