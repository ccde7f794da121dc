#include "providers/swarm/manager_clock.h"

#include <nlohmann/json.hpp>

namespace nest::swarm {

engine::Result<EngineTime> ManagerTime(engine::EngineClient& client, std::string_view doing) {
  auto info = client.Get("/info", doing);
  if (!info.ok()) return info.error();
  std::optional<EngineTime> now;
  if (info.value().is_object() && info.value().contains("SystemTime") && info.value()["SystemTime"].is_string())
    now = ParseEngineTime(info.value()["SystemTime"].get<std::string>());
  if (now) return *now;
  engine::EngineError error;
  error.kind = engine::ErrorKind::kMalformedResponse;
  error.doing = std::string(doing);
  error.endpoint = client.endpoint().Display();
  error.detail = "GET /info has no SystemTime in RFC 3339";
  return error;
}

}  // namespace nest::swarm
