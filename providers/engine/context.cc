#include "providers/engine/context.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

namespace nest::engine {
namespace {

namespace fs = std::filesystem;

EngineError BadContext(std::string_view name, std::string detail) {
  EngineError e;
  e.kind = ErrorKind::kBadEndpoint;
  e.endpoint = fmt::format("context \"{}\"", name);
  e.detail = std::move(detail);
  return e;
}

std::string Get(const Environment& env, std::string_view name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

// The file's JSON, null when it does not exist, nullopt (and `why`) when it
// cannot be read or parsed.
std::optional<nlohmann::json> ReadJsonFile(const fs::path& path, std::string* why) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return nlohmann::json();
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    *why = fmt::format("cannot read {}", path.string());
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    *why = fmt::format("{} is not valid JSON", path.string());
    return std::nullopt;
  }
  return doc;
}

// A string member of an object, or "" for anything else.
std::string StringAt(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool HasAnyTlsFile(const fs::path& dir) {
  std::error_code ec;
  for (const char* file : {"ca.pem", "cert.pem", "key.pem"})
    if (fs::is_regular_file(dir / file, ec)) return true;
  return false;
}

// Endpoints.docker of meta.json: host and TLS settings.
Result<Endpoint> EndpointFromMeta(std::string_view name, const nlohmann::json& meta,
                                  const fs::path& tls_dir) {
  const nlohmann::json* docker = nullptr;
  if (meta.is_object() && meta.contains("Endpoints") && meta["Endpoints"].is_object() &&
      meta["Endpoints"].contains("docker"))
    docker = &meta["Endpoints"]["docker"];
  std::string host = docker ? StringAt(*docker, "Host") : "";
  if (host.empty()) return BadContext(name, "its meta.json has no Endpoints.docker.Host");
  auto skip = docker->find("SkipTLSVerify");
  bool skip_verify = skip != docker->end() && skip->is_boolean() && skip->get<bool>();
  // As docker/cli context/docker/load.go: TLS when there is TLS material or
  // verification is explicitly skipped; otherwise plain HTTP.
  bool tls = skip_verify || HasAnyTlsFile(tls_dir);
  Result<Endpoint> endpoint = ParseHost(host, tls);
  if (!endpoint) return endpoint;
  endpoint.value().context = std::string(name);
  if (!endpoint.value().tls) return endpoint;
  endpoint.value().tls_verify = !skip_verify;
  return WithTlsFiles(std::move(endpoint).value(), tls_dir.string());
}

}  // namespace

std::string DockerConfigDir(const Environment& env) {
  std::string dir = Get(env, "DOCKER_CONFIG");
  if (!dir.empty()) return dir;
  std::string home = Get(env, "HOME");
  return home.empty() ? "" : (fs::path(home) / ".docker").string();
}

std::string ContextDirName(std::string_view name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(name.data(), name.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<std::string> SelectedContext(const Environment& env) {
  std::string name = Get(env, "DOCKER_CONTEXT");
  if (!name.empty()) return name;
  std::string dir = DockerConfigDir(env);
  if (dir.empty()) return std::string("default");
  std::string why;
  std::optional<nlohmann::json> config = ReadJsonFile(fs::path(dir) / "config.json", &why);
  if (!config) return BadContext("currentContext", why);
  name = StringAt(*config, "currentContext");
  return name.empty() ? std::string("default") : name;
}

Result<Endpoint> LoadContext(std::string_view name, const std::string& config_dir) {
  if (config_dir.empty())
    return BadContext(name, "cannot find docker contexts: neither HOME nor DOCKER_CONFIG is set");
  std::string hash = ContextDirName(name);
  fs::path meta_path = fs::path(config_dir) / "contexts" / "meta" / hash / "meta.json";
  std::string why;
  std::optional<nlohmann::json> meta = ReadJsonFile(meta_path, &why);
  if (!meta) return BadContext(name, why);
  if (meta->is_null())
    return BadContext(name, fmt::format("no such context (looked for {})", meta_path.string()));
  fs::path tls_dir = fs::path(config_dir) / "contexts" / "tls" / hash / "docker";
  return EndpointFromMeta(name, *meta, tls_dir);
}

}  // namespace nest::engine
