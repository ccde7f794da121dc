// A nest service as a compose service entry, for either target.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/emit/builders.h"
#include "compiler/emit/yaml_writer.h"

namespace nest::emit {
namespace {

const Value* Get(const Value* object, std::string_view name) {
  return object == nullptr ? nullptr : object->Find(name);
}

bool IsTrue(const Value* v) { return v != nullptr && v->kind == ValueKind::kBool && v->boolean; }

std::string PercentText(const Value& v) { return fmt::format("{}%", v.number); }

Json PortEntry(std::uint32_t target, std::uint32_t published, const std::string& protocol,
               const std::string& mode) {
  Json p = NewObject(6);
  p["target"] = target;
  if (published != 0) p["published"] = published;
  p["protocol"] = protocol;
  p["mode"] = mode;
  return p;
}

// `name` and `app_protocol` of a long-form port: the compose specification
// has them, but both files nest writes are read by tools that refuse a port
// with either (the 3.x schema of `docker stack deploy`, docker-compose 1.x),
// so each is a W080 on both targets and the port is published without it.
void PortNames(Context& ctx, const Resource& r, const Value& block) {
  for (const char* key : {"name", "app_protocol"}) {
    const Value* v = block.Find(key);
    if (v == nullptr) continue;
    ctx.CannotExpress(r, fmt::format("port.{}", key), v->span,
                      fmt::format("{} has no port `{}` and refuses a file with it",
                                  ctx.swarm() ? "the compose 3.x schema of `docker stack deploy`" : "docker-compose 1.x",
                                  key),
                      "the port is published without it");
  }
}

Json Ports(Context& ctx, const Resource& r, const Value& b) {
  Json ports = Json::array();
  if (const Value* list = b.Find("ports"))
    for (const auto& item : list->items)
      ports.push_back(PortEntry(item.port.target, item.port.published, PortProtocolName(item.port.protocol),
                                PortModeName(item.port.mode)));
  for (const Value* block : b.All("port")) {
    const Value* published = block->Find("published");
    const Value* protocol = block->Find("protocol");
    const Value* mode = block->Find("mode");
    Json port = PortEntry(static_cast<std::uint32_t>(block->Find("target")->number),
                          published ? static_cast<std::uint32_t>(published->number) : 0,
                          protocol ? protocol->text : "tcp", mode ? mode->text : "ingress");
    PortNames(ctx, r, *block);
    ports.push_back(std::move(port));
  }
  return ports;
}

Json Networks(const Value& b) {
  const Value* list = b.Find("networks");
  Json networks = NewObject(list != nullptr ? list->items.size() + 2 : 2);
  if (list != nullptr)
    for (const auto& ref : list->items) Field(networks, Context::Key(ref)) = Json::object();
  for (const Value* alias : b.All("alias")) {
    Json& attachment = Field(networks, Context::Key(*alias->Find("network")));
    if (!attachment.is_object()) attachment = Json::object();
    Json& names = attachment["aliases"];
    if (!names.is_array()) names = Json::array();
    for (const auto& name : alias->Find("names")->items) names.push_back(name.text);
  }
  SortKeys(networks);
  return networks;
}

// `shm_size` on swarm: a Swarm service has no shm size, but it honours a
// tmpfs mount, and a tmpfs at /dev/shm is what the size means.
Json ShmMount(const Value& size) {
  Json v = NewObject(3);
  v["type"] = "tmpfs";
  v["target"] = "/dev/shm";
  v["tmpfs"] = Json{{"size", size.integer}};
  return v;
}

Json Mounts(const Value& b) {
  Json volumes = Json::array();
  for (const Value* m : b.All("mount")) {
    const Value* source = m->Find("source");
    const Value* type = m->Find("type");
    std::string kind = type ? type->text
                       : source == nullptr                        ? "tmpfs"
                       : source->kind == ValueKind::kReference    ? "volume"
                                                                  : "bind";
    Json v = NewObject(5);
    v["type"] = kind;
    if (source != nullptr)
      v["source"] = source->kind == ValueKind::kReference ? Context::Key(*source) : source->text;
    v["target"] = m->Find("target")->text;
    if (IsTrue(m->Find("read_only"))) v["read_only"] = true;
    if (const Value* size = m->Find("size")) v["tmpfs"] = Json{{"size", size->integer}};
    volumes.push_back(std::move(v));
  }
  return volumes;
}

// `secrets`/`configs` lists and `secret`/`config` blocks, long syntax.
Json FileRefs(const Value& b, std::string_view list_name, std::string_view block_name) {
  Json refs = Json::array();
  if (const Value* list = b.Find(list_name))
    for (const auto& ref : list->items) refs.push_back(Json{{"source", Context::Key(ref)}});
  for (const Value* block : b.All(block_name)) {
    Json r = NewObject(5);
    r["source"] = Context::Key(*block->Find("source"));
    if (const Value* v = block->Find("target")) r["target"] = v->text;
    if (const Value* v = block->Find("uid")) r["uid"] = v->text;
    if (const Value* v = block->Find("gid")) r["gid"] = v->text;
    if (const Value* v = block->Find("mode")) r["mode"] = std::stoi(v->text, nullptr, 8);
    refs.push_back(std::move(r));
  }
  return refs;
}

Json Healthcheck(const Value& h) {
  Json out = NewObject(6);
  if (IsTrue(h.Find("disable"))) {
    out["disable"] = true;
    return out;
  }
  if (const Value* test = h.Find("test"))
    out["test"] = test->kind == ValueKind::kList ? StringList(*test) : Json::array({"CMD-SHELL", test->text});
  if (const Value* v = h.Find("interval")) out["interval"] = DurationText(*v);
  if (const Value* v = h.Find("timeout")) out["timeout"] = DurationText(*v);
  if (const Value* v = h.Find("retries")) out["retries"] = static_cast<std::int64_t>(v->number);
  if (const Value* v = h.Find("start_period")) out["start_period"] = DurationText(*v);
  return out;
}

Json Ulimits(const Value& security) {
  Json out = Json::object();
  if (const Value* map = security.Find("ulimits"))
    for (const auto& [name, v] : map->fields) Field(out, name) = static_cast<std::int64_t>(v.number);
  for (const Value* u : security.All("ulimit"))
    Field(out, u->Find("name")->text) = Json{{"soft", static_cast<std::int64_t>(u->Find("soft")->number)},
                                      {"hard", static_cast<std::int64_t>(u->Find("hard")->number)}};
  SortKeys(out);
  return out;
}

Json UpdateConfig(const Value& block) {
  Json out = NewObject(6);
  if (const Value* v = block.Find("parallelism")) out["parallelism"] = static_cast<std::int64_t>(v->number);
  if (const Value* v = block.Find("delay")) out["delay"] = DurationText(*v);
  if (const Value* v = block.Find("failure_action")) out["failure_action"] = v->text;
  if (const Value* v = block.Find("monitor")) out["monitor"] = DurationText(*v);
  if (const Value* v = block.Find("max_failure_ratio")) out["max_failure_ratio"] = v->number / 100.0;
  if (const Value* v = block.Find("order")) out["order"] = v->text;
  return out;
}

// Everything about one service; `s` is filled in the canonical key order.
class ServiceBuilder {
 public:
  ServiceBuilder(Context& ctx, const Resource& r) : ctx_(ctx), r_(r), b_(r.body) {}

  Json Build() {
    s_["image"] = b_.Find("image")->text;
    if (const Value* v = b_.Find("command")) s_["command"] = CommandJson(*v);
    if (const Value* v = b_.Find("entrypoint")) s_["entrypoint"] = CommandJson(*v);
    if (const Value* v = b_.Find("env")) s_["environment"] = StringMap(*v);
    if (const Value* v = b_.Find("working_dir")) s_["working_dir"] = v->text;
    if (const Value* v = b_.Find("hostname")) s_["hostname"] = v->text;
    if (const Value* v = b_.Find("isolation")) s_["isolation"] = v->text;
    HostsAndDns();
    Security();
    if (const Value* h = b_.Find("healthcheck")) s_["healthcheck"] = Healthcheck(*h);
    if (const Value* l = b_.Find("logging")) {
      Json logging = NewObject(2);
      logging["driver"] = l->Find("driver")->text;
      if (const Value* o = l->Find("options")) logging["options"] = StringMap(*o);
      s_["logging"] = std::move(logging);
    }
    // Container labels: on swarm only `container_labels`; on compose the
    // container is the only object, so every label goes there.
    s_["labels"] = NewObject(0);
    if (Json ports = Ports(ctx_, r_, b_); !ports.empty()) s_["ports"] = std::move(ports);
    if (Json networks = Networks(b_); !networks.empty()) s_["networks"] = std::move(networks);
    Json volumes = Mounts(b_);
    if (const Value* shm = b_.Find("shm_size")) {
      if (ctx_.swarm()) volumes.push_back(ShmMount(*shm));
      else s_["shm_size"] = SizeText(*shm);
    }
    if (!volumes.empty()) s_["volumes"] = std::move(volumes);
    if (Json secrets = FileRefs(b_, "secrets", "secret"); !secrets.empty()) s_["secrets"] = std::move(secrets);
    if (Json configs = FileRefs(b_, "configs", "config"); !configs.empty()) s_["configs"] = std::move(configs);
    if (ctx_.swarm()) {
      SwarmDeploy();
    } else {
      ComposeRuntime();
    }
    Labels();
    return std::move(s_);
  }

 private:
  // extra_hosts as the "host:address" list `docker stack config` prints, in
  // the order written (a compose map would be sorted by host).
  void HostsAndDns() {
    if (const Value* v = b_.Find("extra_hosts")) {
      Json hosts = Json::array();
      for (const auto& [host, address] : v->fields) hosts.push_back(host + ":" + address.text);
      s_["extra_hosts"] = std::move(hosts);
    }
    if (const Value* v = b_.Find("dns")) s_["dns"] = StringList(*v);
    if (const Value* v = b_.Find("dns_search")) s_["dns_search"] = StringList(*v);
    if (const Value* v = b_.Find("dns_opt")) {
      if (ctx_.swarm()) {
        ctx_.CannotExpress(r_, "dns_opt", v->span,
                           "the compose 3.x schema of `docker stack deploy` has no `dns_opt` and "
                           "refuses a file with it",
                           "the tasks run with the default resolver options; drop the setting "
                           "for swarm");
      } else {
        s_["dns_opt"] = StringList(*v);
      }
    }
  }

  void Security() {
    const Value* sec = b_.Find("security");
    if (const Value* v = Get(sec, "user")) s_["user"] = v->text;
    if (const Value* v = b_.Find("stop_signal")) s_["stop_signal"] = v->text;
    if (const Value* v = Get(sec, "stop_grace_period")) s_["stop_grace_period"] = DurationText(*v);
    if (const Value* v = Get(sec, "init")) s_["init"] = v->boolean;
    if (IsTrue(Get(sec, "read_only"))) s_["read_only"] = true;
    if (const Value* v = Get(sec, "cap_add")) s_["cap_add"] = StringList(*v);
    if (const Value* v = Get(sec, "cap_drop")) s_["cap_drop"] = StringList(*v);
    if (const Value* v = Get(sec, "no_new_privileges"); IsTrue(v)) {
      if (ctx_.swarm()) {
        ctx_.CannotExpress(r_, "security.no_new_privileges", v->span,
                           "docker stack deploy ignores `security_opt`, and Engine API 1.41 has no "
                           "no-new-privileges setting for services",
                           "the tasks run without it; drop the setting or harden the image instead");
      } else {
        s_["security_opt"] = Json::array({"no-new-privileges:true"});
      }
    }
    if (sec != nullptr) {
      if (Json ulimits = Ulimits(*sec); !ulimits.empty()) s_["ulimits"] = std::move(ulimits);
      if (const Value* v = sec->Find("sysctls")) s_["sysctls"] = StringMap(*v);
    }
    HostAccess(sec);
  }

  // `privileged` and `pid = host`: a container can have them, a Swarm task
  // cannot (ContainerSpec has neither; docker stack deploy ignores both), and
  // the service would run without the access it was written to need.
  void HostAccess(const Value* sec) {
    if (const Value* v = Get(sec, "privileged"); IsTrue(v)) {
      if (ctx_.swarm()) {
        ctx_.CannotRun(r_, "security.privileged", v->span,
                       "a Swarm service cannot be privileged: the Engine API's ContainerSpec has no such "
                       "setting, and docker stack deploy ignores `privileged`",
                       "compile for the compose target (it writes `privileged: true`), or grant what is "
                       "needed with `cap_add` and a bind mount of the device");
      } else {
        s_["privileged"] = true;
      }
    }
    if (const Value* v = Get(sec, "pid")) {
      if (ctx_.swarm()) {
        ctx_.CannotRun(r_, "security.pid", v->span,
                       "a Swarm task always has its own process namespace: the Engine API's ContainerSpec has "
                       "no PID mode, and docker stack deploy ignores `pid`",
                       "compile for the compose target (it writes `pid: host`)");
      } else {
        s_["pid"] = v->text;
      }
    }
  }

  // deploy: on swarm every key docker stack deploy reads.
  void SwarmDeploy() {
    Json deploy = NewObject(12);
    const Value* mode = b_.Find("mode");
    if (mode != nullptr && mode->text != "replicated") deploy["mode"] = mode->text;
    if (const Value* replicas = Replicas()) deploy["replicas"] = static_cast<std::int64_t>(replicas->number);
    if (const Value* v = b_.Find("endpoint_mode")) deploy["endpoint_mode"] = v->text;
    deploy["labels"] = Json::object();
    if (const Value* res = b_.Find("resources")) {
      Json limits = NewObject(3), reservations = NewObject(2);
      if (const Value* v = res->Find("cpus")) limits["cpus"] = CpusText(*v);
      if (const Value* v = res->Find("memory")) limits["memory"] = SizeText(*v);
      if (const Value* v = res->Find("pids")) limits["pids"] = static_cast<std::int64_t>(v->number);
      if (const Value* v = res->Find("reserve_cpus")) reservations["cpus"] = CpusText(*v);
      if (const Value* v = res->Find("reserve_memory")) reservations["memory"] = SizeText(*v);
      Json resources = NewObject(2);
      if (!limits.empty()) resources["limits"] = std::move(limits);
      if (!reservations.empty()) resources["reservations"] = std::move(reservations);
      deploy["resources"] = std::move(resources);
    }
    if (const Value* restart = b_.Find("restart")) {
      Json policy = NewObject(4);
      if (const Value* v = restart->Find("condition")) policy["condition"] = v->text;
      if (const Value* v = restart->Find("delay")) policy["delay"] = DurationText(*v);
      if (const Value* v = restart->Find("max_attempts")) policy["max_attempts"] = static_cast<std::int64_t>(v->number);
      if (const Value* v = restart->Find("window")) policy["window"] = DurationText(*v);
      deploy["restart_policy"] = std::move(policy);
    }
    if (const Value* placement = b_.Find("placement")) {
      Json p = NewObject(3);
      if (const Value* v = placement->Find("constraints")) p["constraints"] = StringList(*v);
      if (const Value* v = placement->Find("preferences")) {
        Json prefs = Json::array();
        for (const auto& item : v->items) prefs.push_back(Json{{"spread", item.text}});
        p["preferences"] = std::move(prefs);
      }
      if (const Value* v = placement->Find("max_replicas_per_node"))
        p["max_replicas_per_node"] = static_cast<std::int64_t>(v->number);
      deploy["placement"] = std::move(p);
    }
    if (const Value* d = b_.Find("deploy")) {
      deploy["update_config"] = UpdateConfig(*d);
      const std::string& strategy = d->Find("strategy")->text;
      if (strategy != "rolling") {
        ctx_.CannotExpress(r_, fmt::format("deploy \"{}\"", strategy), d->Find("strategy")->span,
                           fmt::format("Swarm only rolls updates: docker stack deploy applies `update_config` "
                                       "from the common attributes, and the {} steps are carried as "
                                       "`nest.deploy.*` labels for `nest apply`",
                                       strategy),
                           "deploy with `nest apply` to run the strategy");
      }
    }
    if (const Value* rb = b_.Find("rollback")) deploy["rollback_config"] = UpdateConfig(*rb);
    s_["deploy"] = std::move(deploy);
  }

  // Compose: the runtime settings a single-host engine honours, as service
  // keys both docker-compose 1.x and Compose v2 read.
  void ComposeRuntime() {
    if (const Value* restart = b_.Find("restart")) {
      const Value* condition = restart->Find("condition");
      const Value* attempts = restart->Find("max_attempts");
      std::string c = condition ? condition->text : "any";
      std::int64_t n = attempts ? static_cast<std::int64_t>(attempts->number) : 0;
      if (c == "none") s_["restart"] = "no";
      else if (c == "on-failure") s_["restart"] = n > 0 ? fmt::format("on-failure:{}", n) : "on-failure";
      else s_["restart"] = "always";
      // One warning for the block, naming every attribute a container lacks.
      std::vector<std::string> lost;
      const Value* first = nullptr;
      for (const char* name : {"delay", "window"}) {
        if (const Value* v = restart->Find(name)) {
          lost.push_back(fmt::format("restart.{}", name));
          if (first == nullptr) first = v;
        }
      }
      if (attempts != nullptr && n > 0 && c != "on-failure") {
        lost.push_back("restart.max_attempts");
        if (first == nullptr) first = attempts;
      }
      if (!lost.empty())
        ctx_.CannotExpress(r_, fmt::format("{}", fmt::join(lost, "`, `")), first->span,
                           fmt::format("a container's restart policy is `{}` only: no delay or window (Docker "
                                       "backs off by itself), a retry limit only with on-failure",
                                       s_["restart"].get<std::string>()));
    }
    if (const Value* res = b_.Find("resources")) {
      if (const Value* v = res->Find("cpus")) s_["cpus"] = CpusText(*v);
      if (const Value* v = res->Find("memory")) s_["mem_limit"] = SizeText(*v);
      if (const Value* v = res->Find("reserve_memory")) s_["mem_reservation"] = SizeText(*v);
      if (const Value* v = res->Find("pids")) s_["pids_limit"] = static_cast<std::int64_t>(v->number);
      if (const Value* v = res->Find("reserve_cpus"))
        ctx_.CannotExpress(r_, "resources.reserve_cpus", v->span,
                           "a container has no CPU reservation, only a limit");
    }
    if (const Value* mode = b_.Find("mode"); mode != nullptr && mode->text == "global")
      ctx_.CannotExpress(r_, "mode = global", mode->span, "Compose runs one container: there are no nodes");
    if (const Value* mode = b_.Find("mode"); mode != nullptr && mode->text.ends_with("-job"))
      ctx_.CannotExpress(r_, fmt::format("mode = {}", mode->text), mode->span,
                         "Compose has no jobs: the container runs once when the project starts and is not "
                         "run again to complete",
                         "use the swarm target, or `nest apply`, to run it as a job");
    if (const Value* v = b_.Find("endpoint_mode"))
      ctx_.CannotExpress(r_, "endpoint_mode", v->span,
                         "Compose resolves a service name to its containers' addresses; there is no virtual IP");
    if (const Value* v = b_.Find("placement"))
      ctx_.CannotExpress(r_, "placement", v->span, "Compose runs on one host");
    if (const Value* d = b_.Find("deploy"))
      ctx_.CannotExpress(r_, fmt::format("deploy \"{}\"", d->Find("strategy")->text), d->span,
                         "Compose recreates containers on change; it ignores update_config",
                         "use the swarm target, or `nest apply`, for rolling updates");
    if (const Value* v = b_.Find("rollback"))
      ctx_.CannotExpress(r_, "rollback", v->span, "Compose has no rollback; it ignores rollback_config");
    if (const Value* replicas = Replicas()) s_["deploy"] = Json{{"replicas", static_cast<std::int64_t>(replicas->number)}};
  }

  // `replicas`, or the autoscale minimum when only autoscale sets a count.
  const Value* Replicas() const {
    if (const Value* v = b_.Find("replicas")) return v;
    if (const Value* a = b_.Find("autoscale")) return a->Find("min");
    return nullptr;
  }

  void Labels() {
    Json service = NewObject(16);
    OwnershipLabels(ctx_, r_, service);
    if (const Value* v = b_.Find("labels"))
      for (const auto& [key, value] : v->fields) Field(service, key) = value.text;
    if (const Value* a = b_.Find("autoscale")) AutoscaleLabels(*a, service);
    if (const Value* d = b_.Find("deploy")) StrategyLabels(*d, service);
    Json routes = RouteLabels(ctx_, r_);
    for (auto it = routes.begin(); it != routes.end(); ++it) service[it.key()] = it.value();

    Json container = NewObject(8);
    if (!ctx_.swarm()) container = std::move(service);
    if (const Value* v = b_.Find("container_labels"))
      for (const auto& [key, value] : v->fields) Field(container, key) = value.text;
    SortKeys(container);

    if (ctx_.swarm()) {
      if (container.empty()) s_.erase("labels");
      else s_["labels"] = std::move(container);
      Json& labels = s_["deploy"]["labels"];
      labels = std::move(service);
      AddSpecHashLabel(ctx_, labels);
    } else {
      Json& labels = s_["labels"];
      labels = std::move(container);
      AddSpecHashLabel(ctx_, labels);
    }
  }

  Context& ctx_;
  const Resource& r_;
  const Value& b_;
  Json s_ = NewObject(36);
};

}  // namespace

Json BuildService(Context& ctx, const Resource& service) { return ServiceBuilder(ctx, service).Build(); }

void AutoscaleLabels(const Value& a, Json& labels) {
  for (const auto& [name, v] : a.fields) {
    std::string key = fmt::format("nest.autoscale.{}", name);
    switch (v.kind) {
      case ValueKind::kPercent: Field(labels, key) = PercentText(v); break;
      case ValueKind::kDuration: Field(labels, key) = DurationText(v); break;
      default: Field(labels, key) = fmt::format("{}", static_cast<std::int64_t>(v.number)); break;
    }
  }
}

void StrategyLabels(const Value& d, Json& labels) {
  const std::string& strategy = d.Find("strategy")->text;
  if (strategy == "rolling") return;
  labels["nest.deploy.strategy"] = strategy;
  for (const auto& [name, v] : d.fields) {
    if (name == "steps") {
      std::string steps;
      for (const auto& step : v.items) steps += (steps.empty() ? "" : ",") + PercentText(step);
      labels["nest.deploy.steps"] = steps;
    } else if (name == "pause" || name == "verify" || name == "keep_previous") {
      Field(labels, "nest.deploy." + name) = DurationText(v);
    } else if (name == "analysis") {
      for (const auto& [key, a] : v.fields) {
        std::string label = "nest.deploy.analysis." + key;
        if (a.kind == ValueKind::kPercent) Field(labels, label) = PercentText(a);
        else if (a.kind == ValueKind::kDuration) Field(labels, label) = DurationText(a);
        else if (a.kind == ValueKind::kNumber) Field(labels, label) = fmt::format("{}", static_cast<std::int64_t>(a.number));
        else Field(labels, label) = a.text;
      }
    }
  }
}

}  // namespace nest::emit
