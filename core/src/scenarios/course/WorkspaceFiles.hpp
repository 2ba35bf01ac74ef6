#pragma once
// The files of a new workspace that come from the lab definition itself
// (README, answers template, exercise sources); materials are the lab's own.
#include <filesystem>
#include <string>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course {

// "" on success, else what could not be written. Keeps an existing
// answers.txt and exercise sources: a student's work is never overwritten.
std::string writeWorkspaceFiles(const LabDefinition& lab, const Variant& variant, const std::filesystem::path& dir,
                                const std::filesystem::path& home);

std::string answersTemplate(const LabDefinition& lab, const Variant& variant);

std::string utcNow();  // "2026-12-01T21:48:09Z"

}  // namespace tlslab::course
