#pragma once
// A lab of the course as data plus small check functions (one file per lab in
// core/src/scenarios/course/), so `tlslab lab …`, `tlslab class grade` and the
// GUI's Course panel run the same checks. A check judges substance — a value,
// a program's behaviour against real servers — and explains a failure.
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/scenarios/course/Answers.hpp"
#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::course {

enum class Verdict {
  Pass,
  Fail,     // wrong: `detail` says what is wrong, `hint` how to find the right one
  Missing,  // not answered yet / no program to run
  Skipped,  // cannot be judged on this machine (`detail` says why and what to do)
};
const char* verdictName(Verdict verdict);  // "pass", "fail", "missing", "skipped"

struct CheckResult {
  std::string id;     // the check's stable id ("password", "client-gallery")
  std::string title;  // what is checked, in a student's words
  Verdict verdict = Verdict::Missing;
  std::string detail;  // why it passed or failed, naming values
  std::string hint;    // one nudge for a failure
  std::vector<std::string> evidence;  // sub-results, e.g. one line per gallery entry
};

// A question of the answers file.
struct Question {
  std::string_view key;     // "password"
  std::string_view prompt;  // shown in answers.txt and the Course panel
  std::string_view format;  // "hex", "a word", "yes or no", "one per line…": how to write the answer
  // The right answer for one student: the teacher's key (`tlslab class key`)
  // and the tests; never written into a workspace.
  std::function<std::string(const Variant&)> reference;
  // When the question itself differs per student ("your gallery entry 2 is
  // wrong-eku: …"): used instead of `prompt` (see promptFor).
  std::function<std::string(const Variant&)> personalPrompt = nullptr;
};
// The question as this student sees it.
std::string promptFor(const Question& question, const Variant& variant);

// A C program the student completes (labs/exercises/<source>).
struct Exercise {
  enum class Kind { Client, Server };
  std::string_view source;   // "tls_client.c"
  std::string_view program;  // "tls_client": what `tlslab lab build` makes
  Kind kind = Kind::Client;
  // The interface the checker uses, e.g. "PROGRAM HOSTNAME PORT, trusted CAs in ./cert".
  std::string_view interface;
};

// What a check may use. The grader fills it from the class secret, never
// from the workspace's own claims, so the variant is always the student's.
struct CheckEnv {
  const Variant* variant = nullptr;
  const Answers* answers = nullptr;
  std::filesystem::path workspace;  // where the student's files are ("" = none)
  std::filesystem::path certsDir;   // the lab PKI (certs/)
  std::filesystem::path program;    // the student's program to run ("" = none)
  std::function<void(const std::string&)> progress;  // "starting the gallery server for expired…"
  const Answer* answer(std::string_view key) const { return answers ? answers->find(key) : nullptr; }
  void say(const std::string& text) const {
    if (progress) progress(text);
  }
};

struct CheckSpec {
  std::string_view id;
  std::string_view title;
  // The answer key this check judges ("" for program and workspace checks):
  // the Course panel shows the verdict next to that answer field.
  std::string_view question;
  bool needsProgram = false;  // runs env.program (Missing when there is none)
  std::function<CheckResult(const CheckEnv&)> run;
};

struct MaterialsEnv {
  const Variant* variant = nullptr;
  std::filesystem::path workspace;  // exists, empty apart from .tlslab/
  std::filesystem::path certsDir;
  std::function<void(const std::string&)> progress;
  void say(const std::string& text) const {
    if (progress) progress(text);
  }
};

struct LabDefinition {
  int number = 0;
  std::string_view slug;   // "eavesdropping"
  std::string_view title;  // "Eavesdropping"
  std::string_view goal;   // one sentence
  int minutes = 60;        // time a student needs
  std::string_view tutorial;  // file under tutorials/, "01-eavesdropping.md"
  std::vector<Question> questions;
  std::vector<std::string_view> hints;  // graded: gentlest first
  std::vector<Exercise> exercises;
  // Writes this student's materials (captures, keys, certificates) into the
  // workspace; "" on success, else what failed.
  std::function<std::string(const MaterialsEnv&)> materials;
  // Lines for the workspace README about this student's own variant
  // ("your host name is www.otter4812.test").
  std::function<std::vector<std::string>(const Variant&)> personal;
  std::vector<CheckSpec> checks;
};

// Challenges (CryptoHack-style puzzles, checked like labs) are numbered from
// 20 and listed after the labs; their workspace is ./tlslab-SLUG/.
inline constexpr int kFirstChallenge = 20;
inline bool isChallenge(const LabDefinition& lab) { return lab.number >= kFirstChallenge; }

// The course, in order.
std::span<const LabDefinition* const> course();
const LabDefinition* findLab(int number);
const LabDefinition* findLab(std::string_view numberOrSlug);  // "4", "04" or "first-client"

struct LabReport {
  const LabDefinition* lab = nullptr;
  std::vector<CheckResult> results;  // one per CheckSpec, in order
  int passed() const;
  bool allPassed() const;
};

// Runs every check (or those whose id is in `only`); a check that throws
// becomes a Fail naming the exception, so one broken check never hides the others.
LabReport checkLab(const LabDefinition& lab, const CheckEnv& env, std::span<const std::string> only = {});

}  // namespace tlslab::course
