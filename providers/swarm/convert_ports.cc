// The EndpointSpec of a service: its ports, short and long form.
#include <algorithm>
#include <cctype>
#include <tuple>

#include "compiler/compose_syntax/port.h"
#include "providers/swarm/convert_internal.h"
#include "providers/units.h"

namespace nest::swarm::convert_parts {
namespace {

json PortConfig(std::int64_t target, std::int64_t published, std::string protocol, std::string mode) {
  json p = json::object();
  p["Protocol"] = protocol;
  p["TargetPort"] = target;
  if (published != 0) p["PublishedPort"] = published;
  p["PublishMode"] = mode;
  return p;
}

// "8080:80", "127.0.0.1:8080:80/udp", "80", "8000-8001:80-81": one
// PortConfig per target port. The host address has no place in a swarm
// PortConfig (docker stack deploy drops it too).
void ShortPort(const std::string& text, json& ports, const Refusals& refusals) {
  auto mapping = compose_syntax::ParseShortPort(text);
  if (!mapping) {
    refusals.Refuse("ports", mapping.error().message);
    return;
  }
  const compose_syntax::PortMapping& m = mapping.value();
  for (std::int64_t t = m.target.first; t <= m.target.last; ++t) {
    std::int64_t p = 0;
    if (m.published) {
      bool range = m.published->last > m.published->first;
      p = range ? m.published->first + (t - m.target.first) : m.published->first;
    }
    ports.push_back(PortConfig(t, p, m.protocol, "ingress"));
  }
}

}  // namespace

json EndpointSpec(const Doc& service, const Doc* deploy, const Refusals& refusals) {
  json ports = json::array();
  if (const Doc* list = Field(service, "ports"); list && list->is_array()) {
    for (const auto& port : *list) {
      if (port.is_object()) {
        const Doc* published = Field(port, "published");
        std::int64_t p = published == nullptr ? 0 : published->is_number() ? published->get<std::int64_t>()
                                                                            : std::atoll(providers::ScalarText(*published).c_str());
        std::string protocol = Text(port, "protocol");
        std::string mode = Text(port, "mode");
        ports.push_back(PortConfig(std::atoll(Text(port, "target").c_str()), p, protocol, mode));
      } else if (port.is_number()) {
        ports.push_back(PortConfig(port.get<std::int64_t>(), 0, "tcp", "ingress"));
      } else {
        ShortPort(providers::ScalarText(port), ports, refusals);
      }
    }
  }
  // swarm.PortConfig.Compare: by published port, then target, protocol, mode.
  std::vector<json> sorted(ports.begin(), ports.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
    auto key = [](const json& p) {
      return std::tuple(p.value("PublishedPort", 0), p.value("TargetPort", 0), p.value("Protocol", ""),
                        p.value("PublishMode", ""));
    };
    return key(a) < key(b);
  });
  json out = json::object();
  std::string mode = deploy != nullptr ? Text(*deploy, "endpoint_mode") : "";
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!mode.empty()) out["Mode"] = mode;
  if (!sorted.empty()) out["Ports"] = sorted;
  return out;
}
}  // namespace nest::swarm::convert_parts
