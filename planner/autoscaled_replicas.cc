#include "planner/autoscaled_replicas.h"

#include <charconv>
#include <optional>
#include <string>

namespace nest::plan {
namespace {

std::optional<long long> Number(const AttributeValue* value) {
  if (value == nullptr || value->kind != AttributeValue::Kind::kScalar) return std::nullopt;
  long long n = 0;
  const std::string& text = value->scalar;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

const AttributeValue* Attribute(const ResourceState& resource, const std::string& name) {
  auto it = resource.attributes.find(name);
  return it == resource.attributes.end() ? nullptr : &it->second;
}

const AttributeValue* Label(const ResourceState& resource, const std::string& key) {
  const AttributeValue* labels = Attribute(resource, "labels");
  if (labels == nullptr || labels->kind != AttributeValue::Kind::kMap) return nullptr;
  auto it = labels->map.find(key);
  return it == labels->map.end() ? nullptr : &it->second;
}

}  // namespace

void AdoptAutoscaledReplicas(StackState& desired, const StackState& live) {
  for (auto& service : desired.resources) {
    if (service.kind != ResourceKind::kService) continue;
    std::optional<long long> min = Number(Label(service, "nest.autoscale.min"));
    std::optional<long long> max = Number(Label(service, "nest.autoscale.max"));
    if (!min || !max) continue;
    const ResourceState* running = live.Find(service.address);
    if (running == nullptr) continue;
    const AttributeValue* live_replicas = Attribute(*running, "replicas");
    std::optional<long long> count = Number(live_replicas);
    if (!count || *count < *min || *count > *max) continue;
    auto it = service.attributes.find("replicas");
    if (it != service.attributes.end()) it->second = *live_replicas;
  }
}

}  // namespace nest::plan
