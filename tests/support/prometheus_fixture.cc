#include "tests/support/prometheus_fixture.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "providers/prometheus_client.h"
#include "tests/support/engine_fixture.h"

namespace nest::test_support {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kBinary = "/usr/bin/prometheus";

// Prometheus scrapes the httpd beside it (same network namespace) every
// second; honor_labels keeps the metrics' own `service` label as written.
constexpr const char* kConfig =
    "global:\n"
    "  scrape_interval: 1s\n"
    "  scrape_timeout: 1s\n"
    "scrape_configs:\n"
    "  - job_name: fixture\n"
    "    honor_labels: true\n"
    "    static_configs:\n"
    "      - targets: [\"127.0.0.1:8080\"]\n";

// The shared libraries `ldd` lists for the binary ("/lib64/ld-linux-x86-64.so.2").
std::vector<std::string> SharedLibraries(const std::string& binary) {
  std::string out;
  RunCommand("ldd " + binary, &out);
  std::vector<std::string> paths;
  std::istringstream words(out);
  std::string word;
  while (words >> word)
    if (word.starts_with('/')) paths.push_back(word);
  return paths;
}

// The value `query` returns now, if it returns exactly one.
bool QueryOne(providers::PrometheusClient& client, const std::string& query, double* value) {
  auto result = client.Query(query);
  if (!result.ok() || result.value().values.size() != 1) return false;
  *value = result.value().values.front();
  return true;
}

}  // namespace

bool EnsurePrometheusImage(std::string* why) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (RunCommand(std::string("docker image inspect ") + kPrometheusImage + " >/dev/null") == 0) return true;
  if (!fs::exists(kBinary)) {
    *why = "no /usr/bin/prometheus (install Debian's prometheus package: tools/setup)";
    return false;
  }
  fs::path dir = fs::temp_directory_path() / ("nest-prometheus-image-" + std::to_string(getpid()));
  fs::create_directories(dir / "root");
  // The binary and every library it loads, at their own paths, so the image
  // needs nothing but them.
  std::vector<std::string> files = SharedLibraries(kBinary);
  files.push_back(kBinary);
  std::error_code ec;
  for (const std::string& file : files) {
    fs::path target = dir / "root" / fs::path(file).relative_path();
    fs::create_directories(target.parent_path());
    fs::copy_file(fs::canonical(file, ec), target, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      *why = fmt::format("cannot copy {}: {}", file, ec.message());
      return false;
    }
  }
  fs::create_directories(dir / "root/etc/prometheus");
  std::ofstream(dir / "root/etc/prometheus/prometheus.yml") << kConfig;
  std::ofstream(dir / "Dockerfile") << "FROM scratch\n"
                                       "COPY root/ /\n"
                                       "ENTRYPOINT [\"/usr/bin/prometheus\", \"--config.file=/etc/prometheus/prometheus.yml\", "
                                       "\"--storage.tsdb.path=/prometheus\", \"--web.listen-address=:9090\"]\n";
  std::string out;
  int status = RunCommand("DOCKER_BUILDKIT=0 docker build -q -t " + std::string(kPrometheusImage) + " " + dir.string(), &out);
  fs::remove_all(dir, ec);
  if (status != 0) {
    *why = "cannot build the Prometheus image: " + out;
    return false;
  }
  return true;
}

std::string RequestMetrics(const std::string& service, long ok, long errors) {
  return fmt::format(
      "http_requests_total{{service=\"{0}\",code=\"200\"}} {1}\n"
      "http_requests_total{{service=\"{0}\",code=\"500\"}} {2}\n",
      service, ok, errors);
}

PrometheusFixture::PrometheusFixture() : name_(UniqueName("prom")) {
  folder_ = (fs::temp_directory_path() / name_).string();
}

PrometheusFixture::~PrometheusFixture() {
  RunCommand(fmt::format("docker rm -f {0}-prometheus {0} >/dev/null", name_));
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

bool PrometheusFixture::Start(std::string* why) {
  if (!EnsurePrometheusImage(why) || !EnsureTestImage(why)) return false;
  fs::create_directories(folder_);
  fs::permissions(folder_, fs::perms::all);  // the httpd may run as another user
  std::ofstream(fs::path(folder_) / "metrics") << "";
  std::string out;
  // The target owns the network namespace, so Prometheus' port is published on it.
  if (RunCommand(fmt::format("docker run -d --name {0} -p 127.0.0.1::9090 -v {1}:/www:ro {2} "
                             "httpd -f -p 8080 -h /www",
                             name_, folder_, kTestImage),
                 &out) != 0 ||
      RunCommand(fmt::format("docker run -d --name {0}-prometheus --network container:{0} {1}", name_,
                             kPrometheusImage),
                 &out) != 0) {
    *why = "cannot start the Prometheus fixture: " + out;
    return false;
  }
  if (RunCommand(fmt::format("docker port {} 9090/tcp", name_), &out) != 0 || out.rfind(':') == std::string::npos) {
    *why = "no published port for Prometheus: " + out;
    return false;
  }
  base_url_ = "http://127.0.0.1:" + std::to_string(std::stoi(out.substr(out.rfind(':') + 1)));
  return SetMetrics("", why);
}

bool PrometheusFixture::SetMetrics(const std::string& text, std::string* why) {
  ++generation_;
  // Written beside and renamed, so a scrape never reads half a file.
  fs::path file = fs::path(folder_) / "metrics";
  {
    std::ofstream out(file.string() + ".new");
    out << text << (text.empty() || text.back() == '\n' ? "" : "\n")
        << "nest_fixture_generation " << generation_ << "\n";
  }
  std::error_code ec;
  fs::rename(file.string() + ".new", file, ec);
  if (ec) {
    *why = "cannot write the metrics file: " + ec.message();
    return false;
  }
  auto client = providers::PrometheusClient::Connect(base_url_, std::chrono::seconds(2));
  if (!client.ok()) {
    *why = client.error().message;
    return false;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  double seen = 0;
  while (Clock::now() < deadline) {
    if (QueryOne(client.value(), "nest_fixture_generation", &seen) && seen == generation_) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::string logs;
  RunCommand(fmt::format("docker logs --tail 5 {}-prometheus", name_), &logs);
  *why = fmt::format("Prometheus at {} did not scrape metrics generation {} within 10 s (last seen {}); its log: {}",
                     base_url_, generation_, seen, logs);
  return false;
}

void PrometheusFixture::StopPrometheus() { RunCommand(fmt::format("docker kill {}-prometheus >/dev/null", name_)); }

}  // namespace nest::test_support
