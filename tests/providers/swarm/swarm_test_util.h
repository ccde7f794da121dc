// Helpers shared by the swarm provider's engine tests: a scratch folder per
// test, deploying a compose document with the docker CLI, an Engine client
// for the local engine.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "providers/engine/client.h"
#include "providers/engine/endpoint.h"
#include "tests/support/engine_fixture.h"

namespace nest::test_support {

inline engine::EngineClient LocalClient() {
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  return engine::EngineClient(endpoint.ok() ? endpoint.value() : engine::Endpoint{});
}

// A fresh folder under the temp dir, removed with the object.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const {
    auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// `docker stack deploy --resolve-image never` of a compose document written
// as JSON (YAML reads JSON). Returns the CLI's output; fails the test on error.
inline std::string DeployDocument(const ScratchDir& dir, const nlohmann::ordered_json& document,
                                  const std::string& stack, const std::string& file = "stack.yml") {
  std::string path = dir.Write(file, document.dump(2));
  std::string out;
  int status = RunCommand("docker stack deploy --resolve-image never -c " + path + " " + stack, &out);
  EXPECT_EQ(status, 0) << out;
  return out;
}

}  // namespace nest::test_support
