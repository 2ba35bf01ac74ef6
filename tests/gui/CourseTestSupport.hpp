#pragma once
// Shared by the course_*_test.cpp files: a real workspace of lab 1 (made by
// course::startWorkspace, materials and all) in a temporary folder, and the
// reference answers of its student from the lab's own Question::reference.
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include <filesystem>
#include <map>
#include <string>

#include "tlslab/scenarios/course/Workspace.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::gui::test {

inline const course::LabDefinition& lab1() {
  const course::LabDefinition* lab = course::findLab(1);
  EXPECT_NE(lab, nullptr) << "the course has no lab 1";
  return *lab;
}

// Makes `student`'s workspace of lab 1 in root/tlslab-lab-1.
inline std::filesystem::path startLab1(const std::filesystem::path& root, const std::string& student) {
  course::StartOptions options;
  options.lab = &lab1();
  options.student = student;
  options.dir = root / course::defaultWorkspaceDir(1);
  options.homeDir = homeDir();
  auto made = course::startWorkspace(options);
  EXPECT_TRUE(made) << made.error();
  return options.dir;
}

// The right answer of every question for the workspace's own student.
inline std::map<std::string, std::string> referenceAnswers(const std::filesystem::path& workspace) {
  std::map<std::string, std::string> answers;
  auto info = course::openWorkspace(workspace);
  EXPECT_TRUE(info) << info.error();
  if (!info) return answers;
  const course::Variant variant = info->variant();
  for (const auto& q : lab1().questions) answers[std::string(q.key)] = q.reference(variant);
  return answers;
}

}  // namespace tlslab::gui::test
