#include "compiler/check/schema.h"

namespace nest {
namespace {

// Small constructors keep the table below readable as a table.
AttributeSchema Attr(std::string name, Type type, std::string doc) {
  return {std::move(name), std::move(type), false, {}, {}, {}, std::move(doc)};
}
AttributeSchema Required(AttributeSchema a) {
  a.required = true;
  return a;
}
AttributeSchema Range(AttributeSchema a, std::optional<double> min, std::optional<double> max) {
  a.min = min;
  a.max = max;
  return a;
}
AttributeSchema OnlyFor(AttributeSchema a, std::string label) {
  a.only_for_label = std::move(label);
  return a;
}
BlockSchema Repeated(BlockSchema b) {
  b.repeated = true;
  return b;
}

const Type kString = MakeType(TypeKind::kString);
const Type kInteger = MakeType(TypeKind::kInteger);
const Type kNumber = MakeType(TypeKind::kNumber);
const Type kBool = MakeType(TypeKind::kBool);
const Type kDuration = MakeType(TypeKind::kDuration);
const Type kSize = MakeType(TypeKind::kSize);
const Type kPercent = MakeType(TypeKind::kPercent);
const Type kCommand = MakeType(TypeKind::kCommand);
const Type kPortNumber = MakeType(TypeKind::kPortNumber);

AttributeSchema Labels(std::string doc) { return Attr("labels", MapOf(kString), std::move(doc)); }

// --- deployment -----------------------------------------------------------

std::vector<AttributeSchema> UpdateAttributes(std::vector<std::string> failure_actions) {
  return {
      Range(Attr("parallelism", kInteger, "tasks updated at once (0: all at once)"), 0, {}),
      Attr("delay", kDuration, "wait between batches"),
      Attr("order", EnumOf({"start-first", "stop-first"}),
           "start the new task before stopping the old one (zero downtime) or after"),
      Attr("monitor", kDuration, "how long a new task is watched for failure after it starts"),
      Attr("failure_action", EnumOf(std::move(failure_actions)), "what a failed batch triggers"),
      Range(Attr("max_failure_ratio", kPercent, "failed tasks tolerated before failure_action"),
            0, 100),
  };
}

BlockSchema CanaryAnalysisBlock() {
  return {"analysis", {}, {}, false, false,
          {
              Attr("window", kDuration, "how long the canary is observed at each step"),
              Range(Attr("max_error_rate", kPercent, "abort when errors exceed this share"), 0, 100),
              Range(Attr("min_healthy", kPercent, "abort when fewer canary tasks are healthy"), 0,
                    100),
              Attr("max_latency", kDuration, "abort when the p99 latency exceeds this"),
              Attr("query", kString, "an optional Prometheus query that must return 1 to pass"),
              Attr("prometheus", kString,
                   "the Prometheus HTTP API's base URL, e.g. \"http://127.0.0.1:9090\" (required with "
                   "`query`, `max_error_rate` or `max_latency`)"),
              Range(Attr("inconclusive_limit", kInteger,
                         "empty or NaN results of a metric check tolerated in a row (default 3)"),
                    0, {}),
              Range(Attr("error_limit", kInteger,
                         "errors of the Prometheus endpoint tolerated in a row (default 4)"),
                    0, {}),
          },
          {},
          "health and metric thresholds a canary step or a blue-green verify must meet"};
}

BlockSchema DeployBlock() {
  BlockSchema deploy{"deploy", {"strategy"}, {"rolling", "canary", "blue-green"}, false, false,
                     UpdateAttributes({"rollback", "pause", "continue"}), {},
                     "how a new version replaces the running one"};
  // nest's own, never written to a compiled file: how long `nest apply`
  // waits for this service (at most --timeout).
  deploy.attributes.push_back(Range(
      Attr("timeout", kDuration, "how long nest apply waits for the service to converge (at most --timeout)"),
      1, {}));
  deploy.attributes.push_back(OnlyFor(
      Attr("steps", ListOf(kPercent), "share of replicas on the new version at each step"),
      "canary"));
  deploy.attributes.push_back(
      OnlyFor(Attr("pause", kDuration, "how long each canary step is held"), "canary"));
  deploy.attributes.push_back(OnlyFor(
      Attr("verify", kDuration, "how long the new set must stay healthy before the switch"),
      "blue-green"));
  deploy.attributes.push_back(OnlyFor(
      Attr("keep_previous", kDuration, "how long the previous set is kept after the switch"),
      "blue-green"));
  deploy.blocks.push_back(CanaryAnalysisBlock());
  return deploy;
}

// --- service ----------------------------------------------------------------

BlockSchema PortBlock() {
  return Repeated({"port", {}, {}, false, false,
                   {
                       Attr("published", kPortNumber, "the port on the host or the ingress mesh"),
                       Required(Attr("target", kPortNumber, "the port inside the container")),
                       Attr("protocol", EnumOf({"tcp", "udp", "sctp"}), "default tcp"),
                       Attr("mode", EnumOf({"ingress", "host"}),
                            "ingress: the routing mesh; host: the node running the task"),
                       Attr("name", kString, "a name for the port (not written: W080 on both targets)"),
                       Attr("app_protocol", kString,
                            "the application protocol, e.g. \"http\" (not written: W080 on both targets)"),
                   },
                   {},
                   "a published port, long form"});
}

BlockSchema ObjectMountBlock(std::string type, ResourceKind kind) {
  return Repeated({std::move(type), {}, {}, false, false,
                   {
                       Required(Attr("source", RefTo(kind), "the object to mount")),
                       Attr("target", kString, "file name in the container (default: its name)"),
                       Attr("uid", kString, "owner user id"),
                       Attr("gid", kString, "owner group id"),
                       Attr("mode", MakeType(TypeKind::kFileMode), "file mode, octal: \"0440\""),
                   },
                   {},
                   "a secret or config file in the container, long form"});
}

BlockSchema ServiceBlock() {
  BlockSchema s{"service", {"name"}, {}, false, false, {}, {}, "a Swarm service or Compose service"};
  s.attributes = {
      Required(Attr("image", kString, "the image reference, e.g. \"postgres:15-alpine\"")),
      Attr("command", kCommand, "overrides the image's CMD"),
      Attr("entrypoint", kCommand, "overrides the image's ENTRYPOINT"),
      Attr("env", MapOf(kString), "environment variables; values are strings"),
      Attr("working_dir", kString, "working directory in the container"),
      Attr("hostname", kString, "container host name"),
      // A map, not compose's "host:ip" list: a host has one address, and an
      // IPv6 address makes "host:ip" ambiguous. Strings, because `host-gateway`
      // and IPv6 addresses are not nest IP literals.
      Attr("extra_hosts", MapOf(kString),
           "extra /etc/hosts entries, host name = address: { \"db.internal\" = \"10.0.0.5\" }"),
      Attr("dns", ListOf(kString), "name servers instead of Docker's, e.g. [\"10.0.0.2\"]"),
      Attr("dns_search", ListOf(kString), "DNS search domains"),
      Attr("dns_opt", ListOf(kString), "resolver options, e.g. [\"ndots:2\"] (compose target only)"),
      Attr("stop_signal", kString, "signal sent to stop the container"),
      Attr("mode", EnumOf({"replicated", "global", "replicated-job", "global-job"}),
           "replicated (default), one task per node, or a job: tasks that run to completion"),
      Range(Attr("replicas", kInteger,
                 "number of tasks in replicated mode; for a replicated-job, the completions (run at once)"),
            0, 10000),
      Attr("isolation", EnumOf({"default", "process", "hyperv"}),
           "container isolation technology (process and hyperv are for Windows nodes)"),
      Attr("shm_size", kSize, "size of /dev/shm (Swarm: a tmpfs mount at /dev/shm)"),
      Attr("endpoint_mode", EnumOf({"vip", "dnsrr"}), "virtual IP (default) or DNS round robin"),
      Attr("ports", ListOf(MakeType(TypeKind::kPort)), "published ports, short form: 8080:80/tcp"),
      Attr("networks", ListOf(RefTo(ResourceKind::kNetwork)), "networks the service joins"),
      Attr("secrets", ListOf(RefTo(ResourceKind::kSecret)), "secrets mounted under /run/secrets"),
      Attr("configs", ListOf(RefTo(ResourceKind::kConfig)), "configs mounted at /<name>"),
      Labels("labels on the service"),
      Attr("container_labels", MapOf(kString), "labels on each container"),
      Attr("depends_on", ListOf(MakeType(TypeKind::kAnyReference)),
           "resources that must exist first, beyond those referenced"),
  };
  s.blocks = {
      PortBlock(),
      Repeated({"alias", {}, {}, false, false,
                {Required(Attr("network", RefTo(ResourceKind::kNetwork), "the network")),
                 Required(Attr("names", ListOf(kString), "extra DNS names on that network"))},
                {},
                "DNS aliases of the service on one of its networks"}),
      Repeated({"mount", {}, {}, false, false,
                {Attr("type", EnumOf({"volume", "bind", "tmpfs"}),
                      "default: volume for a volume reference, bind for a path"),
                 Attr("source", MakeType(TypeKind::kMountSource),
                      "a volume reference or an absolute host path"),
                 Required(Attr("target", kString, "path in the container")),
                 Attr("read_only", kBool, "mount read-only"),
                 Attr("size", kSize, "tmpfs size")},
                {},
                "a volume, bind or tmpfs mount"}),
      ObjectMountBlock("secret", ResourceKind::kSecret),
      ObjectMountBlock("config", ResourceKind::kConfig),
      {"healthcheck", {}, {}, false, false,
       {Attr("test", kCommand, "the check: a shell string or an exec list"),
        Attr("interval", kDuration, "time between checks"),
        Attr("timeout", kDuration, "time one check may take"),
        Range(Attr("retries", kInteger, "failures before unhealthy"), 0, {}),
        Attr("start_period", kDuration, "grace period after start"),
        Attr("disable", kBool, "disable the image's health check")},
       {},
       "how Docker decides a task is healthy"},
      {"resources", {}, {}, false, false,
       {Range(Attr("cpus", kNumber, "CPU limit in cores"), 0.001, {}),
        Attr("memory", kSize, "memory limit"),
        Range(Attr("pids", kInteger, "process limit"), 1, {}),
        Range(Attr("reserve_cpus", kNumber, "CPU reservation in cores"), 0.001, {}),
        Attr("reserve_memory", kSize, "memory reservation")},
       {},
       "limits and reservations"},
      {"restart", {}, {}, false, false,
       {Attr("condition", EnumOf({"none", "on-failure", "any"}), "when to restart"),
        Attr("delay", kDuration, "wait before a restart"),
        Range(Attr("max_attempts", kInteger, "give up after this many (0: never)"), 0, {}),
        Attr("window", kDuration, "how long a restart must run to count as a success")},
       {},
       "restart policy"},
      {"placement", {}, {}, false, false,
       {Attr("constraints", ListOf(kString), "e.g. \"node.role == manager\""),
        Attr("preferences", ListOf(kString), "spread preferences, e.g. \"node.labels.zone\""),
        Range(Attr("max_replicas_per_node", kInteger, "0: no limit"), 0, {})},
       {},
       "where tasks may run"},
      {"security", {}, {}, false, false,
       {Attr("read_only", kBool, "read-only root filesystem"),
        Attr("user", kString, "user[:group] the process runs as"),
        Attr("no_new_privileges", kBool, "forbid privilege escalation"),
        Attr("cap_add", ListOf(kString), "capabilities added"),
        Attr("cap_drop", ListOf(kString), "capabilities dropped, e.g. [\"ALL\"]"),
        Attr("init", kBool, "run an init process as PID 1"),
        Attr("stop_grace_period", kDuration, "time between the stop signal and SIGKILL"),
        Attr("ulimits", MapOf(kInteger), "soft = hard limits: { nofile = 65536 }"),
        Attr("sysctls", MapOf(kString), "kernel parameters"),
        // Compose only: a Swarm service can do neither, and compiling such a
        // service for swarm is an error (NEST-E080), never a silent drop.
        Attr("privileged", kBool, "full access to the host's devices (compose target only)"),
        Attr("pid", EnumOf({"host"}), "share the host's process namespace (compose target only)")},
       {Repeated({"ulimit", {}, {}, false, false,
                  {Required(Attr("name", kString, "e.g. nofile")),
                   Required(Range(Attr("soft", kInteger, "soft limit; -1: unlimited"), -1, {})),
                   Required(Range(Attr("hard", kInteger, "hard limit; -1: unlimited"), -1, {}))},
                  {},
                  "a ulimit whose soft and hard values differ"})},
       "container hardening"},
      {"logging", {}, {}, false, false,
       {Required(Attr("driver", kString, "e.g. json-file")),
        Attr("options", MapOf(kString), "driver options")},
       {},
       "log driver"},
      Repeated({"route", {}, {}, false, false,
                {Required(Attr("host", kString, "host name the router matches")),
                 Attr("path", kString, "path prefix the router matches"),
                 Required(Attr("port", kPortNumber, "the container port traffic goes to")),
                 Attr("entrypoints", ListOf(kString), "Traefik entrypoints, e.g. [\"websecure\"]"),
                 Attr("tls", kBool, "terminate TLS"),
                 Attr("cert_resolver", kString, "Traefik certificate resolver"),
                 Attr("sticky", kBool, "sticky sessions (cookie)"),
                 Attr("middlewares", ListOf(kString), "Traefik middlewares"),
                 Range(Attr("priority", kInteger, "router priority"), 0, {}),
                 Attr("network", RefTo(ResourceKind::kNetwork),
                      "the network Traefik reaches the service on"),
                 Attr("health_path", kString, "path Traefik probes on each task"),
                 Attr("health_interval", kDuration, "time between Traefik's probes")},
                {},
                "an HTTP route through Traefik"}),
      {"autoscale", {}, {}, false, false,
       {Required(Range(Attr("min", kInteger, "fewest replicas"), 0, 10000)),
        Required(Range(Attr("max", kInteger, "most replicas"), 1, 10000)),
        Range(Attr("cpu", kPercent, "scale up above this CPU use"), 0, 100),
        Range(Attr("cpu_down", kPercent, "scale down below this CPU use"), 0, 100),
        Range(Attr("memory", kPercent, "scale up above this memory use"), 0, 100),
        Range(Attr("memory_down", kPercent, "scale down below this memory use"), 0, 100),
        Range(Attr("requests_per_replica", kInteger, "target requests per second per task"), 1,
              {}),
        Attr("scale_up_window", kDuration, "how fast a scale-up must happen"),
        Attr("cooldown", kDuration, "wait after scaling before scaling down")},
       {},
       "autoscaling policy, carried to the autoscaler as labels"},
      DeployBlock(),
      {"rollback", {}, {}, false, false, UpdateAttributes({"pause", "continue"}), {},
       "how a failed update is rolled back"},
  };
  return s;
}

// --- other resources ----------------------------------------------------------

BlockSchema NetworkBlock() {
  return {"network", {"name"}, {}, false, false,
          {Attr("driver", EnumOf({"overlay", "bridge", "macvlan", "ipvlan"}),
                "default: overlay on Swarm, bridge on Compose"),
           Attr("subnet", MakeType(TypeKind::kCidr), "IPv4 subnet, e.g. 172.30.1.0/24"),
           Attr("gateway", MakeType(TypeKind::kIp), "gateway address inside the subnet"),
           Attr("ip_range", MakeType(TypeKind::kCidr), "range tasks get addresses from"),
           Attr("internal", kBool, "no route to the outside"),
           Attr("attachable", kBool, "standalone containers may join"),
           Attr("encrypted", kBool, "encrypt overlay traffic (IPsec)"),
           Attr("external", kBool, "created outside nest; nest only references it"),
           Attr("name", kString, "the Docker name of an external network"),
           Attr("driver_opts", MapOf(kString), "driver options"),
           Labels("labels on the network")},
          {},
          "a network"};
}

BlockSchema VolumeBlock() {
  return {"volume", {"name"}, {}, false, false,
          {Attr("driver", kString, "default: local"),
           Attr("driver_opts", MapOf(kString), "driver options"),
           Attr("external", kBool, "created outside nest"),
           Attr("name", kString, "the Docker name of an external volume"),
           Labels("labels on the volume")},
          {},
          "a named volume"};
}

BlockSchema SecretBlock() {
  return {"secret", {"name"}, {}, false, false,
          {Attr("file", kString, "file holding the value, relative to this .nest file"),
           Attr("external", kBool, "created outside nest"),
           Attr("name", kString, "the Docker name: of an external secret, or instead of nest's hashed name"),
           Labels("labels on the secret")},
          {},
          "a Docker secret; its value never appears in nest's output"};
}

BlockSchema ConfigBlock() {
  return {"config", {"name"}, {}, false, false,
          {Attr("file", kString, "file holding the content, relative to this .nest file"),
           Attr("content", kString, "the content inline"),
           Attr("external", kBool, "created outside nest"),
           Attr("name", kString, "the Docker name: of an external config, or instead of nest's hashed name"),
           Labels("labels on the config")},
          {},
          "a Docker config"};
}

BlockSchema VariableBlock() {
  return {"variable", {"name"}, {}, false, false,
          {Attr("type", MakeType(TypeKind::kTypeExpression),
                "string, number, bool, duration, size, percent, cidr, port, list(T), map(T)"),
           Attr("default", MakeType(TypeKind::kAny), "value when none is given"),
           Attr("description", kString, "what the variable is for"),
           Attr("sensitive", kBool, "never show the value")},
          {Repeated({"validation", {}, {}, false, false,
                     {Attr("min", kNumber, "smallest number allowed"),
                      Attr("max", kNumber, "largest number allowed"),
                      Attr("min_length", kInteger, "shortest string or list"),
                      Attr("max_length", kInteger, "longest string or list"),
                      Attr("pattern", kString, "an ECMAScript regular expression to match"),
                      Attr("one_of", ListOf(MakeType(TypeKind::kAny)), "allowed values"),
                      Required(Attr("message", kString, "what to tell the user"))},
                     {},
                     "a rule the value must satisfy"})},
          "an input of the stack or module"};
}

BlockSchema BuildFileSchema() {
  BlockSchema file{"file", {}, {}, false, false, {}, {}, "a .nest file"};
  file.blocks = {
      {"stack", {"name"}, {}, false, false,
       {Attr("description", kString, "what the stack is"), Labels("labels on every object")},
       {},
       "names the stack; exactly one per root folder"},
      Repeated(VariableBlock()),
      Repeated({"output", {"name"}, {}, false, false,
                {Required(Attr("value", MakeType(TypeKind::kAny), "the value")),
                 Attr("description", kString, "what it is"),
                 Attr("sensitive", kBool, "never show the value")},
                {},
                "a value a module gives its caller"}),
      Repeated(NetworkBlock()),
      Repeated(VolumeBlock()),
      Repeated(SecretBlock()),
      Repeated(ConfigBlock()),
      Repeated(ServiceBlock()),
      Repeated({"module", {"name"}, {}, false, true,
                {Required(Attr("source", kString,
                               "a folder relative to this file, or stdlib/NAME"))},
                {},
                "an instance of a module; its other attributes are the module's inputs"}),
  };
  return file;
}

}  // namespace

const AttributeSchema* BlockSchema::FindAttribute(std::string_view name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

const BlockSchema* BlockSchema::FindBlock(std::string_view name) const {
  for (const auto& b : blocks)
    if (b.type == name) return &b;
  return nullptr;
}

std::vector<std::string> BlockSchema::AttributeNames() const {
  std::vector<std::string> names;
  for (const auto& a : attributes) names.push_back(a.name);
  return names;
}

std::vector<std::string> BlockSchema::BlockNames() const {
  std::vector<std::string> names;
  for (const auto& b : blocks) names.push_back(b.type);
  return names;
}

const BlockSchema& FileSchema() {
  static const BlockSchema schema = BuildFileSchema();
  return schema;
}

std::optional<ResourceKind> ResourceKindFromBlock(std::string_view block_type) {
  if (block_type == "network") return ResourceKind::kNetwork;
  if (block_type == "volume") return ResourceKind::kVolume;
  if (block_type == "secret") return ResourceKind::kSecret;
  if (block_type == "config") return ResourceKind::kConfig;
  if (block_type == "service") return ResourceKind::kService;
  return std::nullopt;
}

const BlockSchema& ResourceSchema(ResourceKind kind) {
  return *FileSchema().FindBlock(ResourceKindName(kind));
}

}  // namespace nest
