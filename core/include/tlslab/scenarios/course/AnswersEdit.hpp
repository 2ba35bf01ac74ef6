#pragma once
// Writing answers back into an answers file (the GUI's Course panel) without
// disturbing what the student or the template wrote around them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tlslab::course {

// The text of an answers file with `values` ({key, value}) set: on the line
// that answers a key (as parseAnswers finds it) only what follows "key:"
// changes; comments, order and every other line stay as they were; a key the
// file does not have yet is added at the end. A value is one line (line breaks
// become spaces).
std::string withAnswers(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace tlslab::course
