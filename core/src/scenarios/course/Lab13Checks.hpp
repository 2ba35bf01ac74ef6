#pragma once
// Lab 13's materials and the checks read off captures: the student's own
// smtp-starttls.pcapng, and the check's own POP3 run (Lab13Capture.cpp); the
// definition and the checks that run the attacks are in Lab13Starttls.cpp.
#include <filesystem>
#include <string>

#include "tlslab/scenarios/StarttlsLab.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab13 {

// The attack runs' options with the student's mail and injected command.
scenarios::StarttlsAttackOptions attackOptions(const std::filesystem::path& certsDir, const Variant& v);

// smtp-starttls.pcapng: the student's mail sent straight to mail.bank32.com with STARTTLS.
std::string materials(const MaterialsEnv& env);

CheckResult checkCleartextCommands(const CheckEnv& env);
CheckResult checkSubject(const CheckEnv& env);
CheckResult checkPop3Command(const CheckEnv& env);

}  // namespace tlslab::course::lab13
