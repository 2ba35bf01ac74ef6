#pragma once
// The checks of lab 3 (Lab03Mitm.cpp defines the lab; Lab03Checks.cpp and
// Lab03RealClients.cpp judge the answers). Every judgement is made against a
// live run on this machine (runMitm, runRealClients), never a stored table.
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab03 {

// The victim: who logs in to bank32.com, and with which password (the attacker steals it).
std::string victimUser(const Variant& v);
std::string victimPassword(const Variant& v);

CheckResult checkPassword(const CheckEnv& env);
CheckResult checkChainOnlyStrategy(const CheckEnv& env);
// The verify error and depth where the correct victim stops `strategy`, answered under `key`.
CheckResult checkCorrectVictimError(const CheckEnv& env, endpoints::AttackerCertificate strategy, std::string_view key);
CheckResult checkMissingCall(const CheckEnv& env);
CheckResult checkRealClientsSent(const CheckEnv& env);  // Lab03RealClients.cpp

// References (the teacher's key): what a live run on this machine shows.
std::string chainOnlyStrategyReference();
std::string correctVictimErrorReference(const std::filesystem::path& certsDir, endpoints::AttackerCertificate strategy);
std::string realClientsSentReference(const std::filesystem::path& certsDir, const Variant& v);

}  // namespace tlslab::course::lab03
