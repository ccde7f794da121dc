#include "tests/support/engine_fixture.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sys/wait.h>
#include <unistd.h>

namespace nest::test_support {

int RunCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  std::string text;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool EngineAvailable() {
  static const bool available = RunCommand("timeout 10 docker info >/dev/null") == 0;
  return available;
}

bool SwarmAvailable() {
  static const bool available = [] {
    std::string out;
    return RunCommand("docker info --format '{{.Swarm.ControlAvailable}}'", &out) == 0 && out.find("true") == 0;
  }();
  return available;
}

bool EnsureTestImage(std::string* why) {
  static std::mutex mutex;
  static bool built = false;
  std::lock_guard<std::mutex> lock(mutex);
  if (built || RunCommand(std::string("docker image inspect ") + kTestImage + " >/dev/null") == 0) {
    built = true;
    return true;
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nest-test-image-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::error_code ec;
  fs::copy_file("/bin/busybox", dir / "busybox", fs::copy_options::overwrite_existing, ec);
  if (ec) {
    *why = "cannot copy /bin/busybox (install busybox-static): " + ec.message();
    return false;
  }
  // busybox --install needs a writable /bin at build time; the symlinks are
  // created by the build step itself so the image stays FROM scratch.
  std::ofstream(dir / "Dockerfile") << "FROM scratch\n"
                                       "COPY busybox /bin/busybox\n"
                                       "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                                       "ENV PATH=/bin\n"
                                       "CMD [\"sleep\", \"3600\"]\n";
  std::string out;
  int status = RunCommand("DOCKER_BUILDKIT=0 docker build -q -t " + std::string(kTestImage) + " " + dir.string(), &out);
  fs::remove_all(dir, ec);
  if (status != 0) {
    *why = "cannot build the test image: " + out;
    return false;
  }
  built = true;
  return true;
}

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return "nest-t-" + prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

void RemoveStack(const std::string& stack) {
  const std::string label = "com.docker.stack.namespace=" + stack;
  const std::string project = "com.docker.compose.project=" + stack;
  // Services first (they hold secrets, configs and networks), then the rest.
  RunCommand("docker service ls -q --filter label=" + label + " | xargs -r docker service rm >/dev/null");
  RunCommand("docker ps -aq --filter label=" + project + " | xargs -r docker rm -f >/dev/null");
  RunCommand("docker ps -aq --filter label=" + label + " | xargs -r docker rm -f >/dev/null");
  RunCommand("docker secret ls -q --filter label=" + label + " | xargs -r docker secret rm >/dev/null");
  RunCommand("docker config ls -q --filter label=" + label + " | xargs -r docker config rm >/dev/null");
  // Networks may stay in use for a moment while tasks shut down.
  for (int i = 0; i < 20; ++i) {
    std::string out;
    RunCommand("docker network ls -q --filter label=" + label + " --filter label=" + label, &out);
    std::string out2;
    RunCommand("docker network ls -q --filter label=" + project, &out2);
    if (out.empty() && out2.empty()) break;
    RunCommand("docker network ls -q --filter label=" + label + " | xargs -r docker network rm >/dev/null");
    RunCommand("docker network ls -q --filter label=" + project + " | xargs -r docker network rm >/dev/null");
    usleep(500 * 1000);
  }
  RunCommand("docker volume ls -q --filter label=" + label + " | xargs -r docker volume rm -f >/dev/null");
  RunCommand("docker volume ls -q --filter label=" + project + " | xargs -r docker volume rm -f >/dev/null");
}

}  // namespace nest::test_support
