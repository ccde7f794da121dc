// Internal to compiler/import: one compose service as a nest `service`
// block. The class reads the service key by key; its parts are defined in
// service_importer.cc (the keys of the container), service_ports.cc,
// service_mounts.cc and service_deploy.cc.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/import/importer_internal.h"

namespace nest::import {

using Entries = std::vector<std::pair<std::string, std::string>>;

class ServiceImporter {
 public:
  ServiceImporter(Importer& im, const std::string& name, const YAML::Node& node) : im_(im), name_(name), node_(node) {
    block_.type = "service";
    block_.labels = {name};
  }

  NestBlock Run();

 private:
  void Set(const std::string& name, std::optional<std::string> expr) {
    if (expr) block_.Set(name, *expr);
  }
  std::optional<std::string> Str(const YAML::Node& node, const std::string& what) {
    return im_.Expr(node, Kind::kString, "`" + what + "`");
  }
  std::optional<std::string> List(const YAML::Node& node, const std::string& what) {
    auto items = im_.StringItems(node, "`" + what + "`");
    if (!items) return std::nullopt;
    return ListExpr(*items);
  }

  // --- the container (service_importer.cc) ---
  void Environment(const YAML::Node& node);
  void PutEnv(const std::string& key, const std::string& value);
  // env_file: read now, like `docker stack deploy` does; `environment` wins.
  void EnvFile(const YAML::Node& node);
  void ExtraHosts(const YAML::Node& node);
  void Isolation(const YAML::Node& node);
  void Pid(const YAML::Node& node);
  void SecurityOpt(const YAML::Node& node);
  void Ulimits(const YAML::Node& node);
  void Logging(const YAML::Node& node);
  void Healthcheck(const YAML::Node& key, const YAML::Node& node);
  // Attributes in a fixed order, then blocks.
  void Finish();

  // --- ports and networks (service_ports.cc) ---
  // "[published:]target[/protocol]" where published and target are literal
  // numbers or whole `${VAR}` interpolations (then a `port` block).
  void ShortPort(const YAML::Node& item);
  // A short port without interpolation, read by compose_syntax as the
  // providers read it, as a nest port literal: "8080:80", "8080:80/udp",
  // "80/tcp"; refused where nest cannot express it.
  void LiteralShortPort(const YAML::Node& item, const std::string& text);
  // False, after an error, for a port bound to a host address or a range.
  bool ExpressiblePort(const YAML::Node& item, const std::string& text, bool host_address, bool range);
  void LongPort(const YAML::Node& item);
  void Ports(const YAML::Node& node);
  void Networks(const YAML::Node& node);

  // --- mounts, secrets and configs (service_mounts.cc) ---
  // "source:target[:mode]", "target" (anonymous: unsupported), or long syntax.
  void Volumes(const YAML::Node& node);
  // "source:target[:ro|rw]", read by compose_syntax as the providers read it.
  bool ShortVolume(const YAML::Node& item, NestBlock& m);
  // A volume name or a host path as a mount source.
  bool Source(const YAML::Node& at, const std::string& source, const std::string& type, NestBlock& m);
  bool LongVolume(const YAML::Node& item, NestBlock& m);
  void Tmpfs(const YAML::Node& node);
  void FileRefs(const std::string& key, const YAML::Node& node);

  // --- ordering, restart and deploy (service_deploy.cc) ---
  void DependsOn(const YAML::Node& node);
  void RestartKey(const YAML::Node& node);
  void Deploy(const YAML::Node& node);
  void Resources(const YAML::Node& node);
  void RestartPolicy(const YAML::Node& node);
  void Placement(const YAML::Node& node);
  void UpdateConfig(const std::string& key, const YAML::Node& node);

  Importer& im_;
  std::string name_;
  YAML::Node node_;
  NestBlock block_;
  Entries env_;
  std::vector<std::pair<std::string, std::optional<std::string>>> security_;
  std::vector<NestBlock> ulimit_blocks_, port_blocks_, alias_blocks_, mount_blocks_, file_blocks_, tail_blocks_;
  std::vector<std::string> port_literals_, networks_, secret_refs_, config_refs_, depends_on_;
  std::vector<std::pair<std::string, std::string>> resources_;
  std::optional<std::string> labels_, container_labels_, scale_;
  std::optional<NestBlock> restart_block_, deploy_block_, rollback_block_;
  bool has_restart_policy_ = false;
};

}  // namespace nest::import
