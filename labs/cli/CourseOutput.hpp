#pragma once
// How `tlslab lab check` shows a lab's checks in the terminal and as JSON.
#include <nlohmann/json.hpp>

#include <ostream>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::cli {

void printCheckReport(std::ostream& out, const course::LabReport& report);
nlohmann::json checkReportJson(const course::LabReport& report, const std::string& student,
                               const std::vector<std::string>& answerProblems);

}  // namespace tlslab::cli
