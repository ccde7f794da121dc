// `nest import`: the top-level networks, volumes, secrets and configs.
#include <fmt/format.h>

#include "compiler/import/importer_internal.h"

namespace nest::import {

// --- top-level objects --------------------------------------------------------------

bool Importer::ExternalValue(const Entry& e, NestBlock& block) {
  if (e.value.IsMap()) {  // the 3.x form `external: {name: x}`
    auto entries = Map(e.value, "`external`");
    if (!entries) return false;
    block.Set("external", "true");
    for (const auto& x : *entries) {
      if (x.key != "name") {
        UnknownKey(x, "`external`");
        continue;
      }
      auto name = Expr(x.value, Kind::kString, "`external.name`");
      if (name) block.Set("name", *name);
    }
    return true;
  }
  auto b = Expr(e.value, Kind::kBool, "`external`");
  if (!b) return false;
  if (*b == "true") block.Set("external", "true");
  return true;
}

void Importer::ImportNetwork(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = "network";
  b.labels = {name};
  if (!node.IsNull()) {
    auto entries = Map(node, fmt::format("network `{}`", name));
    if (!entries) return;
    std::vector<std::pair<std::string, std::string>> opts;
    for (const auto& e : *entries) {
      if (e.key == "driver") {
        auto d = Scalar(e.value, "`driver`");
        if (!d) continue;
        if (*d == "overlay" || *d == "bridge" || *d == "macvlan" || *d == "ipvlan") b.Set("driver", *d);
        else Unsupported(e.value, fmt::format("the network driver `{}`", *d), "nest networks are overlay, bridge, macvlan or ipvlan");
      } else if (e.key == "driver_opts") {
        auto map = StringMap(e.value, "`driver_opts`");
        if (!map) continue;
        for (auto& [k, v] : *map) {
          if (k == "encrypted") b.Set("encrypted", "true");
          else opts.emplace_back(k, v);
        }
      } else if (e.key == "attachable" || e.key == "internal") {
        if (auto v = Expr(e.value, Kind::kBool, "`" + e.key + "`")) b.Set(e.key, *v);
      } else if (e.key == "labels") {
        if (auto map = StringMap(e.value, "`labels`")) b.Set("labels", MapExpr(*map));
      } else if (e.key == "external") {
        ExternalValue(e, b);
      } else if (e.key == "name") {
        if (auto v = Expr(e.value, Kind::kString, "`name`")) b.Set("name", *v);
      } else if (e.key == "ipam") {
        auto ipam = Map(e.value, "`ipam`");
        if (!ipam) continue;
        for (const auto& i : *ipam) {
          if (i.key == "driver") {
            auto d = Scalar(i.value, "`ipam.driver`");
            if (d && *d != "default") Unsupported(i.value, fmt::format("the IPAM driver `{}`", *d));
          } else if (i.key == "config") {
            auto pools = Seq(i.value, "`ipam.config`");
            if (!pools) continue;
            if (pools->size() > 1) {
              Unsupported((*pools)[1], "a second IPAM pool", "a nest network has one subnet");
              continue;
            }
            for (const auto& pool : *pools) {
              auto keys = Map(pool, "an `ipam.config` entry");
              if (!keys) continue;
              for (const auto& k : *keys) {
                if (k.key == "subnet" || k.key == "ip_range") {
                  if (auto v = Expr(k.value, Kind::kCidr, "`" + k.key + "`")) b.Set(k.key, *v);
                } else if (k.key == "gateway") {
                  if (auto v = Expr(k.value, Kind::kIp, "`gateway`")) b.Set("gateway", *v);
                } else {
                  UnknownKey(k, "`ipam.config`");
                }
              }
            }
          } else {
            UnknownKey(i, "`ipam`");
          }
        }
      } else {
        UnknownKey(e, fmt::format("network `{}`", name));
      }
    }
    if (!opts.empty()) b.Set("driver_opts", MapExpr(opts));
  }
  out.push_back(std::move(b));
}

void Importer::ImportVolume(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = "volume";
  b.labels = {name};
  if (!node.IsNull()) {
    auto entries = Map(node, fmt::format("volume `{}`", name));
    if (!entries) return;
    for (const auto& e : *entries) {
      if (e.key == "driver" || e.key == "name") {
        if (auto v = Expr(e.value, Kind::kString, "`" + e.key + "`")) b.Set(e.key, *v);
      } else if (e.key == "driver_opts" || e.key == "labels") {
        if (auto map = StringMap(e.value, "`" + e.key + "`")) b.Set(e.key, MapExpr(*map));
      } else if (e.key == "external") {
        ExternalValue(e, b);
      } else {
        UnknownKey(e, fmt::format("volume `{}`", name));
      }
    }
  }
  out.push_back(std::move(b));
}

void Importer::ImportFileObject(const std::string& kind, const std::string& name, const YAML::Node& node,
                                std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = kind;
  b.labels = {name};
  auto entries = Map(node, fmt::format("{} `{}`", kind, name));
  if (!entries) return;
  for (const auto& e : *entries) {
    if (e.key == "file") {
      auto path = Scalar(e.value, "`file`");
      if (path) b.Set("file", QuoteString(RelocatedPath(*path)));
    } else if (e.key == "content" && kind == "config") {
      if (auto v = Expr(e.value, Kind::kString, "`content`")) b.Set("content", *v);
    } else if (e.key == "name") {
      if (auto v = Expr(e.value, Kind::kString, "`name`")) b.Set("name", *v);
    } else if (e.key == "labels") {
      if (auto map = StringMap(e.value, "`labels`")) b.Set("labels", MapExpr(*map));
    } else if (e.key == "external") {
      ExternalValue(e, b);
    } else {
      UnknownKey(e, fmt::format("{} `{}`", kind, name));
    }
  }
  out.push_back(std::move(b));
}

}  // namespace nest::import
