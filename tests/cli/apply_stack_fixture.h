// The stack the `nest apply` engine tests deploy, written once: busybox
// httpd behind a health check, dnsrr, rolled start-first with automatic
// rollback, short timings so each apply takes seconds. Each test picks what
// it varies (an env value to replace every task, a failing health page, a
// second config, a drain on SIGTERM, a slow rollout), and cleans up what
// the stack label does not cover: the lock and the revisions.
#pragma once

#include <string>

#include "test_paths.h"
#include "tests/support/run_command.h"

namespace nest::testing {

struct HttpdStack {
  std::string stack;
  // One env value: changing it replaces every task.
  std::string env_name = "GREETING";
  std::string env_value = "hello";
  // What the health check fetches: "index.html" passes, anything else fails.
  std::string health_page = "index.html";
  std::string health_timeout = "3s";
  int health_retries = 2;
  // A secret "token" (token.txt) and a config "motd" (motd.txt), mounted.
  bool secret_and_config = true;
  // A second config "banner" (banner.txt), mounted at /etc/banner.
  bool banner_config = false;
  // The network takes other containers (a load client).
  bool attachable = false;
  // The app keeps serving 3 s after SIGTERM, as a real server drains.
  bool drain_on_term = false;
  std::string stop_grace_period = "1s";
  int replicas = 2;
  int update_parallelism = 2;
  std::string update_delay;  // between batches; "" for none
  std::string monitor = "2s";
};

inline std::string HttpdStackSource(const HttpdStack& s) {
  const std::string serve = "mkdir -p /www && echo ok > /www/index.html && ";
  const std::string command =
      s.drain_on_term ? serve + "httpd -f -p 8080 -h /www & pid=$!; trap 'sleep 3; kill $pid' TERM; wait $pid; wait $pid"
                      : serve + "exec httpd -f -p 8080 -h /www";
  std::string text = "stack \"" + s.stack + "\" {}\n\n";
  text += s.attachable ? "network \"back\" {\n  attachable = true\n}\n" : "network \"back\" {}\n";
  if (s.secret_and_config) {
    text += "\nsecret \"token\" {\n  file = \"token.txt\"\n}\n\nconfig \"motd\" {\n  file = \"motd.txt\"\n}\n";
  }
  if (s.banner_config) text += "\nconfig \"banner\" {\n  file = \"banner.txt\"\n}\n";
  text += R"(
service "web" {
  image         = "nest-test/busybox:1"
  command       = ["sh", "-c", ")" + command + R"("]
  replicas      = )" + std::to_string(s.replicas) + R"(
  endpoint_mode = dnsrr
  networks      = [network.back]
)";
  if (s.secret_and_config) text += "  secrets       = [secret.token]\n";
  text += "  env           = { " + s.env_name + " = \"" + s.env_value + "\" }\n";
  if (s.secret_and_config) text += "\n  config {\n    source = config.motd\n    target = \"/etc/motd\"\n  }\n";
  if (s.banner_config) text += "\n  config {\n    source = config.banner\n    target = \"/etc/banner\"\n  }\n";
  text += R"(
  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/)" + s.health_page + R"( || exit 1"]
    interval = 1s
    timeout  = )" + s.health_timeout + R"(
    retries  = )" + std::to_string(s.health_retries) + R"(
  }

  security {
    init              = true
    stop_grace_period = )" + s.stop_grace_period + R"(
  }

  deploy "rolling" {
    parallelism    = )" + std::to_string(s.update_parallelism) + R"(
    order          = start-first
    failure_action = rollback
    monitor        = )" + s.monitor + "\n";
  if (!s.update_delay.empty()) text += "    delay          = " + s.update_delay + "\n";
  text += "  }\n}\n";
  return text;
}

// The shell line that runs nest in `folder` with a lock lease of `lease_ms`
// (so a killed run's lock goes stale quickly) and no terminal on stdin.
inline std::string NestCommandLine(const std::string& folder, int lease_ms, const std::string& args) {
  return "cd '" + folder + "' && NEST_LOCK_LEASE_MS=" + std::to_string(lease_ms) + " exec '" NEST_BINARY "' " + args +
         " </dev/null";
}

// The lock and the revisions carry no stack label: removed by name.
inline void RemoveLockAndRevisions(const std::string& stack) {
  RunCommand("docker config ls -q --filter name=nest-lock-" + stack + " | xargs -r docker config rm >/dev/null 2>&1");
  RunCommand("docker config ls -q --filter name=nest-rev-" + stack + "- | xargs -r docker config rm >/dev/null 2>&1");
}

}  // namespace nest::testing
