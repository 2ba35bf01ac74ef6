#pragma once
// Lab 5's checks of the student's own PKI files (Lab05BeingACa.cpp lists them).
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab05 {

std::string hostOf(const Variant& variant);  // the student's host name for this lab

CheckResult checkRoot(const CheckEnv& env);
CheckResult checkIntermediate(const CheckEnv& env);
CheckResult checkServerCertificate(const CheckEnv& env);
CheckResult checkServerKey(const CheckEnv& env);
CheckResult checkChainFile(const CheckEnv& env);
CheckResult checkHashedDir(const CheckEnv& env);
CheckResult checkServed(const CheckEnv& env);

}  // namespace tlslab::course::lab05
