#pragma once
// A self-study workspace of one lab for a test, in a fresh temporary folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::test {

struct StartedWorkspace {
  std::filesystem::path dir;
  course::WorkspaceInfo info;
};

inline StartedWorkspace startLabWorkspace(int lab, const std::string& student) {
  StartedWorkspace ws;
  ws.dir = std::filesystem::temp_directory_path() /
           ("tlslab-lab" + std::to_string(lab) + "-" + std::to_string(::getpid()) + "-" + student);
  std::filesystem::remove_all(ws.dir);
  course::StartOptions options;
  options.lab = course::findLab(lab);
  options.student = student;
  options.dir = ws.dir;
  options.homeDir = sourceDir();
  auto made = course::startWorkspace(options);
  EXPECT_TRUE(made) << made.error();
  if (auto info = course::openWorkspace(ws.dir)) ws.info = info.value();
  return ws;
}

}  // namespace tlslab::test
