#include "compiler/check/stack_rules.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace nest {
namespace {

struct Ipv4Range {
  std::uint32_t address = 0;
  int prefix = 32;
  std::uint32_t mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }
  std::uint32_t first() const { return address & mask(); }
  std::uint32_t last() const { return first() | ~mask(); }
};

// The parser already rejected malformed literals; this only splits them.
std::optional<Ipv4Range> ParseIpv4(const std::string& text) {
  Ipv4Range r;
  const char* p = text.data();
  const char* end = p + text.size();
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc() || octet > 255) return std::nullopt;
    r.address = (r.address << 8) | octet;
    p = next;
    if (i < 3) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) {
    if (*p != '/') return std::nullopt;
    auto [next, ec] = std::from_chars(p + 1, end, r.prefix);
    if (ec != std::errc() || next != end || r.prefix < 0 || r.prefix > 32) return std::nullopt;
  }
  return r;
}

std::string FormatIpv4(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

struct Subnet {
  const Resource* network;
  const Value* value;
  Ipv4Range range;
};

void CheckNetworkAddresses(const Resource& network, std::vector<Subnet>& subnets, Diagnostics& diags) {
  const Value* subnet = network.body.Find("subnet");
  if (subnet == nullptr) {
    for (const char* dependent : {"gateway", "ip_range"})
      if (const Value* v = network.body.Find(dependent))
        diags.Error(DiagCode::InvalidSubnet, v->span, fmt::format("`{}` needs a `subnet`", dependent));
    return;
  }
  auto range = ParseIpv4(subnet->text);
  if (!range) return;
  if (range->address != range->first()) {
    std::string fixed = fmt::format("{}/{}", FormatIpv4(range->first()), range->prefix);
    Diagnostic& d = diags.Error(DiagCode::InvalidSubnet, subnet->span,
                                fmt::format("subnet `{}` has host bits set", subnet->text));
    d.label = "not the first address of the subnet";
    d.help.push_back(fmt::format("did you mean `{}`?", fixed));
    return;
  }
  if (range->prefix > 30) {
    diags.Error(DiagCode::InvalidSubnet, subnet->span,
                fmt::format("subnet `{}` is too small for containers (at most /30)", subnet->text));
    return;
  }
  if (const Value* gateway = network.body.Find("gateway")) {
    auto g = ParseIpv4(gateway->text);
    if (g && (g->address < range->first() || g->address > range->last()))
      diags.Error(DiagCode::InvalidSubnet, gateway->span,
                  fmt::format("gateway `{}` is outside subnet `{}`", gateway->text, subnet->text))
          .label = "outside the subnet";
  }
  if (const Value* ip_range = network.body.Find("ip_range")) {
    auto r = ParseIpv4(ip_range->text);
    if (r && (r->first() < range->first() || r->last() > range->last()))
      diags.Error(DiagCode::InvalidSubnet, ip_range->span,
                  fmt::format("ip_range `{}` is outside subnet `{}`", ip_range->text, subnet->text))
          .label = "outside the subnet";
  }
  subnets.push_back({&network, subnet, *range});
}

void CheckSubnets(const Config& config, Diagnostics& diags) {
  std::vector<Subnet> subnets;
  for (const auto& r : config.resources)
    if (r.kind == ResourceKind::kNetwork) CheckNetworkAddresses(r, subnets, diags);
  // Sorted by first address, an overlap shows between neighbours; keep the
  // widest-reaching range seen so far to catch nested ranges too.
  std::stable_sort(subnets.begin(), subnets.end(), [](const Subnet& a, const Subnet& b) {
    return a.range.first() < b.range.first();
  });
  const Subnet* reach = nullptr;
  for (const auto& s : subnets) {
    if (reach != nullptr && s.range.first() <= reach->range.last()) {
      Diagnostic& d = diags.Error(DiagCode::OverlappingSubnets, s.value->span,
                                  fmt::format("subnet `{}` of `{}` overlaps `{}` of `{}`", s.value->text,
                                              s.network->address, reach->value->text, reach->network->address));
      d.label = "overlaps another network";
      d.related.push_back(reach->value->span);
    }
    if (reach == nullptr || s.range.last() > reach->range.last()) reach = &s;
  }
}

struct Published {
  const Resource* service;
  Span span;
};

void CheckHostPorts(const Config& config, Diagnostics& diags) {
  std::map<std::pair<std::uint32_t, std::string>, Published> seen;
  auto publish = [&](const Resource& service, std::uint32_t port, const std::string& protocol, Span span) {
    if (port == 0) return;
    auto [it, inserted] = seen.emplace(std::make_pair(port, protocol), Published{&service, span});
    if (inserted) return;
    Diagnostic& d = diags.Error(DiagCode::DuplicateHostPort, span,
                                fmt::format("host port {}/{} is already published by `{}`", port, protocol,
                                            it->second.service->address));
    d.label = "published twice";
    d.related.push_back(it->second.span);
  };
  for (const auto& r : config.resources) {
    if (r.kind != ResourceKind::kService) continue;
    for (const Value* p : r.body.All("ports")) publish(r, p->port.published, PortProtocolName(p->port.protocol), p->span);
    for (const Value* block : r.body.All("port")) {
      const Value* published = block->Find("published");
      const Value* protocol = block->Find("protocol");
      if (published != nullptr)
        publish(r, static_cast<std::uint32_t>(published->number), protocol ? protocol->text : "tcp", published->span);
    }
  }
}

void CheckReplicas(const Resource& service, Diagnostics& diags) {
  const Value* mode = service.body.Find("mode");
  const Value* replicas = service.body.Find("replicas");
  const Value* autoscale = service.body.Find("autoscale");
  bool global = mode != nullptr && (mode->text == "global" || mode->text == "global-job");
  bool job = mode != nullptr && (mode->text == "replicated-job" || mode->text == "global-job");
  if (global && replicas != nullptr) {
    Diagnostic& d = diags.Error(DiagCode::Conflicting, replicas->span,
                                fmt::format("`replicas` cannot be set on a {} service", mode->text));
    d.label = "global services run one task per node";
    d.related.push_back(mode->span);
  }
  if (global && autoscale != nullptr)
    diags.Error(DiagCode::Conflicting, autoscale->span, fmt::format("a {} service cannot be autoscaled", mode->text));
  else if (job && autoscale != nullptr)
    diags.Error(DiagCode::Conflicting, autoscale->span, "a job cannot be autoscaled: its tasks run to completion");
  // Swarm refuses an update policy on a job: a job is run again, not rolled.
  if (job) {
    for (const char* name : {"deploy", "rollback"}) {
      if (const Value* block = service.body.Find(name)) {
        Diagnostic& d = diags.Error(DiagCode::Conflicting, block->span,
                                    fmt::format("a {} service has no `{}` block", mode->text, name));
        d.label = "jobs are not updated in place";
        d.related.push_back(mode->span);
      }
    }
  }
  if (autoscale == nullptr) return;
  const Value* min = autoscale->Find("min");
  const Value* max = autoscale->Find("max");
  if (min == nullptr || max == nullptr) return;
  if (min->number > max->number) {
    Diagnostic& d = diags.Error(DiagCode::InvalidAutoscale, min->span,
                                fmt::format("autoscale `min` ({}) is above `max` ({})", min->number, max->number));
    d.related.push_back(max->span);
    return;
  }
  if (replicas != nullptr && (replicas->number < min->number || replicas->number > max->number)) {
    Diagnostic& d = diags.Error(DiagCode::ReplicasOutsideAutoscale, replicas->span,
                                fmt::format("replicas = {} is outside the autoscale range {}-{}", replicas->number,
                                            min->number, max->number));
    d.label = "outside the autoscale range";
    d.related.push_back(autoscale->span);
  }
  for (auto [up, down] : {std::pair{"cpu", "cpu_down"}, std::pair{"memory", "memory_down"}}) {
    const Value* u = autoscale->Find(up);
    const Value* w = autoscale->Find(down);
    if (u && w && w->number >= u->number)
      diags.Error(DiagCode::InvalidAutoscale, w->span,
                  fmt::format("`{}` ({}%) must be below `{}` ({}%)", down, w->number, up, u->number));
  }
}

void CheckMounts(const Resource& service, Diagnostics& diags) {
  const Value* shm_size = service.body.Find("shm_size");
  for (const Value* mount : service.body.All("mount")) {
    if (const Value* target = mount->Find("target"); shm_size != nullptr && target != nullptr &&
                                                      target->text == "/dev/shm") {
      Diagnostic& d = diags.Error(DiagCode::Conflicting, target->span,
                                  "`shm_size` and a mount at /dev/shm both set /dev/shm");
      d.label = "mounted here too";
      d.related.push_back(shm_size->span);
      d.help.push_back("keep one: `shm_size`, or the tmpfs mount with its `size`");
    }
    const Value* type = mount->Find("type");
    const Value* source = mount->Find("source");
    std::string kind = type ? type->text
                            : source == nullptr ? "tmpfs"
                            : source->kind == ValueKind::kReference ? "volume" : "bind";
    if (kind == "tmpfs" && source != nullptr)
      diags.Error(DiagCode::Conflicting, source->span, "a tmpfs mount has no `source`");
    if (kind == "volume" && (source == nullptr || source->kind != ValueKind::kReference))
      diags.Error(DiagCode::Conflicting, source ? source->span : mount->span,
                  "a volume mount needs `source = volume.NAME`");
    if (kind == "bind" && (source == nullptr || source->kind != ValueKind::kString))
      diags.Error(DiagCode::Conflicting, source ? source->span : mount->span, "a bind mount needs a host path `source`");
    else if (kind == "bind" && (source->text.empty() || source->text[0] != '/'))
      diags.Error(DiagCode::Conflicting, source->span,
                  fmt::format("bind mount source \"{}\" must be an absolute path", source->text));
    if (const Value* size = mount->Find("size"); size && kind != "tmpfs")
      diags.Error(DiagCode::Conflicting, size->span, "`size` applies to tmpfs mounts only");
  }
  if (const Value* health = service.body.Find("healthcheck")) {
    const Value* disable = health->Find("disable");
    if (health->Find("test") == nullptr && !(disable && disable->boolean))
      diags.Error(DiagCode::MissingAttribute, health->span, "healthcheck is missing the required attribute `test`")
          .help.push_back("add `test = [\"CMD\", ...]`, or `disable = true` to turn off the image's check");
  }
}

// The metric checks of an analysis block ask Prometheus: they need its URL,
// and nest apply speaks only HTTP to it.
void CheckAnalysis(const Resource& service, Diagnostics& diags) {
  const Value* deploy = service.body.Find("deploy");
  const Value* analysis = deploy != nullptr ? deploy->Find("analysis") : nullptr;
  if (analysis == nullptr) return;
  if (const Value* url = analysis->Find("prometheus")) {
    if (!url->text.starts_with("http://") && !url->text.starts_with("https://"))
      diags.Error(DiagCode::OutOfRange, url->span, "`prometheus` must be an http:// or https:// URL")
          .label = "the Prometheus HTTP API's base URL, e.g. \"http://127.0.0.1:9090\"";
    return;
  }
  for (const char* check : {"query", "max_error_rate", "max_latency"}) {
    const Value* metric = analysis->Find(check);
    if (metric == nullptr) continue;
    Diagnostic& d = diags.Error(DiagCode::MissingAttribute, analysis->span,
                                "analysis is missing the required attribute `prometheus`");
    d.label = fmt::format("`{}` asks Prometheus", check);
    d.related.push_back(metric->span);
    d.help.push_back("add `prometheus = \"http://HOST:9090\"`: the Prometheus HTTP API that nest apply queries");
    return;
  }
}

void CheckObjectSource(const Resource& r, Diagnostics& diags) {
  const Value* file = r.body.Find("file");
  const Value* content = r.body.Find("content");
  const Value* external = r.body.Find("external");
  bool is_external = external != nullptr && external->boolean;
  int sources = (file != nullptr) + (content != nullptr) + is_external;
  const char* kind = ResourceKindName(r.kind);
  if (sources == 0) {
    Diagnostic& d = diags.Error(DiagCode::MissingAttribute, r.span, fmt::format("{} `{}` has no value", kind, r.name));
    d.help.push_back(r.kind == ResourceKind::kSecret ? "add `file = \"path\"`, or `external = true`"
                                                     : "add `file = \"path\"`, `content = \"...\"` or `external = true`");
    return;
  }
  if (sources > 1) {
    diags.Error(DiagCode::Conflicting, r.span, fmt::format("{} `{}` has more than one of `file`, `content`, `external`", kind, r.name));
    return;
  }
  if (file == nullptr) return;
  std::filesystem::path path = std::filesystem::path(r.base_dir) / file->text;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    Diagnostic& d = diags.Error(DiagCode::FileNotFound, file->span, fmt::format("no file \"{}\"", file->text));
    d.label = "not found";
    d.notes.push_back(fmt::format("looked for {}", path.lexically_normal().string()));
  }
}

}  // namespace

void CheckStackRules(const Config& config, Diagnostics& diags) {
  CheckSubnets(config, diags);
  CheckHostPorts(config, diags);
}

void CheckResourceRules(const Resource& r, Diagnostics& diags) {
  if (r.kind == ResourceKind::kService) {
    CheckReplicas(r, diags);
    CheckMounts(r, diags);
    CheckAnalysis(r, diags);
  }
  if (r.kind == ResourceKind::kSecret || r.kind == ResourceKind::kConfig) CheckObjectSource(r, diags);
}

}  // namespace nest
