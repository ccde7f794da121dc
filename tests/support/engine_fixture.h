// Shared set-up for tests that talk to the real Docker Engine.
//
// No registry is reachable here, so the one image the tests use is built
// locally FROM scratch with Debian's static busybox: it has sh, httpd, wget
// and sleep, enough for services with health checks. Every test names its
// objects with UniqueName() and removes them itself.
#pragma once

#include <string>

namespace nest::test_support {

// The image every engine test runs: "nest-test/busybox:1".
inline constexpr const char* kTestImage = "nest-test/busybox:1";

// True when a Docker Engine answers (`docker info` succeeds). Cached.
bool EngineAvailable();
// True when the engine is a swarm manager. Cached.
bool SwarmAvailable();
// Builds kTestImage once per process if it is missing; returns false (with
// the reason in *why) when it cannot be built.
bool EnsureTestImage(std::string* why);

// "nest-t-<prefix>-<pid>-<counter>": unique across concurrent test processes.
std::string UniqueName(const std::string& prefix);

// Runs a shell command; returns its exit status and fills *output with
// stdout and stderr combined (when given).
int RunCommand(const std::string& command, std::string* output = nullptr);

// Removes every swarm object and container labelled with the stack
// `com.docker.stack.namespace=<stack>` or compose project `<stack>`;
// for tests' clean-up, called even when a test fails (use StackCleanup).
void RemoveStack(const std::string& stack);

// Removes the stack when it goes out of scope.
class StackCleanup {
 public:
  explicit StackCleanup(std::string stack) : stack_(std::move(stack)) {}
  ~StackCleanup() { RemoveStack(stack_); }
  StackCleanup(const StackCleanup&) = delete;
  StackCleanup& operator=(const StackCleanup&) = delete;

 private:
  std::string stack_;
};

}  // namespace nest::test_support

// Skips the current test when no engine (or no swarm) is there.
#define NEST_REQUIRE_ENGINE()                                                   \
  do {                                                                          \
    if (!::nest::test_support::EngineAvailable()) GTEST_SKIP() << "no Docker Engine"; \
    std::string nest_why_;                                                      \
    if (!::nest::test_support::EnsureTestImage(&nest_why_)) FAIL() << nest_why_;     \
  } while (0)
#define NEST_REQUIRE_SWARM()                                                         \
  do {                                                                               \
    NEST_REQUIRE_ENGINE();                                                           \
    if (!::nest::test_support::SwarmAvailable()) GTEST_SKIP() << "engine is not a swarm"; \
  } while (0)
