#pragma once
// The runnable steps of a tutorial (tutorials/README.md gives the format):
//
//   ```sh runnable                 a command block a test runs, in order, in one
//   tlslab lab start 1 --student alice   shell per tutorial (cd and files persist)
//   ```
//   ```text output                 optional, right after it: lines the output must
//   Workspace for lab 1 …         contain in this order ("…" or "..." alone on a
//   …                              line skips any lines; a trailing " …" matches a prefix,
//   ```                            "… text …" a line containing the text)
//
// A `<!-- test-only … -->` comment holds commands the test runs where the
// student does something by hand (writes their code: the reference solution
// is copied in). Readers never see it; the Course panel shows no button for it.
//
// Tags after "runnable": `needs=root` (skipped without root), `needs=chromium`,
// `exit=N` (the block must end with status N; default 0), `timeout=S`.
// The tutorial test and the GUI's Course panel (one button per step) read
// tutorials through this one parser, so the text cannot drift from what runs.
#include <string>
#include <string_view>
#include <vector>

namespace tlslab::course {

struct TutorialStep {
  int line = 0;                       // 1-based line of the ``` fence
  std::string script;                 // the block's text
  std::vector<std::string> expected;  // the following `text output` block's lines ("" when none)
  std::vector<std::string> needs;     // "root", "chromium", …
  int exitCode = 0;
  int timeoutSeconds = 120;
  std::string section;                // the nearest heading above, for the Course panel
  bool testOnly = false;              // from a <!-- test-only --> comment
};

std::vector<TutorialStep> tutorialSteps(std::string_view markdown);

// Whether `output` contains the expected lines in order, as the format says;
// on failure `why` names the first expected line not found.
bool outputMatches(std::string_view output, const std::vector<std::string>& expected, std::string* why = nullptr);

}  // namespace tlslab::course
