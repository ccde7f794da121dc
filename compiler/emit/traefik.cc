// `route` blocks as Traefik v2 labels (read by Traefik v2 and v3, by the
// swarm provider on service labels and the docker provider on containers).
#include <fmt/format.h>

#include <map>

#include "compiler/emit/builders.h"

namespace nest::emit {
namespace {

std::string Join(const Value& list) {
  std::string out;
  for (const auto& item : list.items) out += (out.empty() ? "" : ",") + item.text;
  return out;
}

std::string Rule(const Value& route) {
  std::string rule = fmt::format("Host(`{}`)", route.Find("host")->text);
  if (const Value* path = route.Find("path")) rule += fmt::format(" && PathPrefix(`{}`)", path->text);
  return rule;
}

}  // namespace

Json RouteLabels(Context& ctx, const Resource& service) {
  std::vector<const Value*> routes = service.body.All("route");
  if (routes.empty()) return Json::object();
  Json labels = NewObject(1 + 8 * routes.size());
  labels["traefik.enable"] = "true";

  // One Traefik service per container port the routes reach.
  std::map<std::int64_t, std::vector<const Value*>> by_port;
  for (const Value* route : routes) by_port[static_cast<std::int64_t>(route->Find("port")->number)].push_back(route);
  std::string base = fmt::format("{}-{}", ctx.stack, service.name);
  auto service_name = [&](std::int64_t port) {
    return by_port.size() == 1 ? base : fmt::format("{}-{}", base, port);
  };

  for (std::size_t i = 0; i < routes.size(); ++i) {
    const Value& route = *routes[i];
    std::string router = fmt::format("traefik.http.routers.{}-{}", base, i);
    Field(labels, router + ".rule") = Rule(route);
    if (const Value* v = route.Find("entrypoints")) Field(labels, router + ".entrypoints") = Join(*v);
    const Value* tls = route.Find("tls");
    const Value* resolver = route.Find("cert_resolver");
    if ((tls != nullptr && tls->boolean) || resolver != nullptr) Field(labels, router + ".tls") = "true";
    if (resolver != nullptr) Field(labels, router + ".tls.certresolver") = resolver->text;
    if (const Value* v = route.Find("middlewares")) Field(labels, router + ".middlewares") = Join(*v);
    if (const Value* v = route.Find("priority"))
      Field(labels, router + ".priority") = fmt::format("{}", static_cast<std::int64_t>(v->number));
    Field(labels, router + ".service") = service_name(static_cast<std::int64_t>(route.Find("port")->number));
  }

  for (const auto& [port, port_routes] : by_port) {
    std::string prefix = fmt::format("traefik.http.services.{}.loadbalancer", service_name(port));
    Field(labels, prefix + ".server.port") = fmt::format("{}", port);
    // Sticky sessions, health checks: properties of the Traefik service, so
    // one route asking for them sets them for every route to that port.
    const Value* health_path = nullptr;
    const Value* health_interval = nullptr;
    bool sticky = false;
    for (const Value* route : port_routes) {
      if (const Value* v = route->Find("sticky"); v != nullptr && v->boolean) sticky = true;
      if (const Value* v = route->Find("health_path"); v != nullptr && health_path == nullptr) health_path = v;
      if (const Value* v = route->Find("health_interval"); v != nullptr && health_interval == nullptr)
        health_interval = v;
    }
    if (sticky) Field(labels, prefix + ".sticky.cookie") = "true";
    if (health_path != nullptr) Field(labels, prefix + ".healthcheck.path") = health_path->text;
    if (health_interval != nullptr) Field(labels, prefix + ".healthcheck.interval") = DurationText(*health_interval);
  }

  // The network Traefik reaches the tasks on; the first route naming one wins.
  const Value* network = nullptr;
  for (const Value* route : routes) {
    const Value* v = route->Find("network");
    if (v == nullptr) continue;
    if (network == nullptr) {
      network = v;
    } else if (v->text != network->text) {
      ctx.CannotExpress(service, "route.network", v->span,
                        fmt::format("Traefik reaches a service on one network; `{}` of an earlier route is used",
                                    network->text),
                        "name the same network in every route");
    }
  }
  if (network != nullptr) {
    std::string name = ctx.DockerName(network->text);
    labels["traefik.docker.network"] = name;
    if (ctx.swarm()) labels["traefik.swarm.network"] = name;
  }
  return labels;
}

}  // namespace nest::emit
