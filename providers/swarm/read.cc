#include "providers/swarm/read.h"

#include "providers/desired.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "providers/engine/query.h"
#include "providers/swarm/canary.h"
#include "providers/swarm/blue_green_colours.h"
#include "providers/swarm/normalize.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

std::string StringOf(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& ObjectOf(const json& object, const char* key) {
  static const json kEmpty = json::object();
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

std::uint64_t VersionIndex(const json& object) {
  const json& version = ObjectOf(object, "Version");
  auto it = version.find("Index");
  if (it == version.end() || !it->is_number_integer()) return 0;
  return it->is_number_unsigned() ? it->get<std::uint64_t>() : static_cast<std::uint64_t>(std::max<std::int64_t>(0, it->get<std::int64_t>()));
}

// Of this stack: its label says so, or it has no stack label and a name in
// the stack's namespace ("<stack>_..."). Another stack's objects whose names
// happen to share the prefix ("<stack>_v2_app" of stack "<stack>_v2") are not.
bool Belongs(const json& labels, const std::string& name, const std::string& stack) {
  auto it = labels.is_object() ? labels.find(kStackLabel) : labels.end();
  if (labels.is_object() && it != labels.end()) return it->is_string() && it->get<std::string>() == stack;
  return name.size() > stack.size() + 1 && name.compare(0, stack.size() + 1, stack + "_") == 0;
}

void Ownership(plan::ResourceState& state, const std::string& stack) {
  if (!state.stack_label) {
    state.problems.push_back(fmt::format("no {}={} label: not deployed as part of the stack", kStackLabel, stack));
  }
  if (!state.managed) {
    state.problems.push_back(fmt::format("no {} label: not created by nest (its address is derived from its name)",
                                         kAddressLabel));
  }
}

NormalizeContext Context(const std::string& stack, const SwarmListing& listing) {
  NormalizeContext context;
  context.stack = stack;
  for (const auto& network : listing.networks) context.network_names[StringOf(network, "Id")] = StringOf(network, "Name");
  if (auto pool = listing.swarm.find("DefaultAddrPool"); pool != listing.swarm.end() && pool->is_array() && !pool->empty()) {
    context.default_address_pool.clear();
    for (const auto& cidr : *pool) if (cidr.is_string()) context.default_address_pool.push_back(cidr.get<std::string>());
  }
  if (auto size = listing.swarm.find("SubnetSize"); size != listing.swarm.end() && size->is_number() && size->get<int>() > 0) {
    context.subnet_size = size->get<int>();
  }
  return context;
}

// Between a task's creation and its start: Swarm is placing or starting it.
// "pending" is left out: a task with no suitable node stays there for good.
bool OnItsWay(const std::string& state) {
  return state == "new" || state == "allocated" || state == "assigned" || state == "accepted" ||
         state == "preparing" || state == "ready" || state == "starting";
}

// Services whose tasks cannot run ("No such image: ...") get a problem.
// Services whose tasks are still starting, none having failed, are in
// progress: a service just created (an apply killed before it converged).
// One that keeps failing is not: it has its problem instead.
void TaskProblems(const json& tasks, std::map<std::string, plan::ResourceState*>& by_id) {
  struct Seen {
    int running = 0;
    int starting = 0;
    std::string newest_error_time;
    std::string newest_error;
  };
  std::map<std::string, Seen> seen;
  for (const auto& task : tasks) {
    std::string service = StringOf(task, "ServiceID");
    if (!by_id.count(service)) continue;
    const json& status = ObjectOf(task, "Status");
    Seen& s = seen[service];
    if (StringOf(status, "State") == "running") ++s.running;
    if (StringOf(task, "DesiredState") == "running" && OnItsWay(StringOf(status, "State"))) ++s.starting;
    std::string error = StringOf(status, "Err");
    std::string time = StringOf(status, "Timestamp");
    if (!error.empty() && time >= s.newest_error_time) {
      s.newest_error_time = time;
      s.newest_error = error;
    }
  }
  for (const auto& [id, s] : seen) {
    if (s.running == 0 && !s.newest_error.empty()) {
      by_id[id]->problems.push_back(fmt::format("no task is running; the last one failed: {}", s.newest_error));
    }
    if (s.starting > 0 && s.newest_error.empty() && by_id[id]->in_progress.empty()) {
      by_id[id]->in_progress = "its tasks are still starting on the engine";
    }
  }
}

// A rolled-back or paused update: after an automatic rollback the old spec
// is back in Spec, so the plan shows the same change again, and applying it
// again will most likely fail the same way.
void UpdateProblem(const json& status, plan::ResourceState& state) {
  std::string phase = StringOf(status, "State");
  std::string message = StringOf(status, "Message");
  std::string why = message.empty() ? "" : ": " + message;
  if (phase == "rollback_completed") {
    state.problems.push_back("its last update was rolled back" + why +
                             "; the change it tried shows again in this plan");
  } else if (phase == "paused" || phase == "rollback_paused") {
    state.problems.push_back(std::string(phase == "paused" ? "its update is paused" : "its rollback is paused") + why);
  } else if (phase == "updating" || phase == "rollback_started") {
    state.problems.push_back(std::string(phase == "updating" ? "an update is in progress" : "a rollback is in progress") +
                             why);
    state.in_progress = phase == "updating" ? "an update is in progress on the engine"
                                            : "a rollback is in progress on the engine";
  }
}

// Swarm nodes create a stack's named volumes when a task first mounts them,
// on the node it runs on: a volume mounted by a live service of the stack
// but absent here is live all the same (elsewhere, or on the way), with the
// options the mount carries.
void LazyVolumes(const json& services, const std::string& stack, std::set<std::string>& volume_names,
                 const NormalizeContext& context, std::vector<plan::ResourceState>& out) {
  for (const auto& service : services) {
    const json& spec = ObjectOf(service, "Spec");
    const json& container = ObjectOf(ObjectOf(spec, "TaskTemplate"), "ContainerSpec");
    auto mounts = container.find("Mounts");
    if (mounts == container.end() || !mounts->is_array()) continue;
    for (const auto& mount : *mounts) {
      std::string type = StringOf(mount, "Type");
      std::string name = StringOf(mount, "Source");
      const json& options = ObjectOf(mount, "VolumeOptions");
      const json& labels = ObjectOf(options, "Labels");
      if ((type != "volume" && !type.empty()) || name.empty() || volume_names.count(name)) continue;
      if (StringOf(labels, kStackLabel) != stack) continue;
      const json& driver = ObjectOf(options, "DriverConfig");
      json volume = {{"Name", name}, {"Driver", StringOf(driver, "Name")}, {"Labels", labels}};
      if (auto opts = driver.find("Options"); opts != driver.end()) volume["Options"] = *opts;
      volume_names.insert(name);
      out.push_back(NormalizeVolume(volume, context));
    }
  }
}

// Two live objects claiming one address (a secret's old and new content,
// a copy made by hand): the one whose name fits the address best, else the
// newest, keeps it; the others get the address their name gives.
void ResolveDuplicates(std::vector<plan::ResourceState>& resources, const std::string& stack) {
  std::map<std::string, std::vector<std::size_t>> by_address;
  for (std::size_t i = 0; i < resources.size(); ++i) by_address[resources[i].address].push_back(i);
  for (auto& [address, indexes] : by_address) {
    if (indexes.size() < 2) continue;
    auto rank = [&](std::size_t i) {
      const auto& r = resources[i];
      bool natural = AddressFromName(r.kind, r.docker_name, stack) == r.address;
      return std::pair(natural, r.version ? r.version->index : 0);
    };
    std::size_t keeper = *std::max_element(indexes.begin(), indexes.end(),
                                           [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
    for (std::size_t i : indexes) {
      if (i == keeper) continue;
      auto& r = resources[i];
      r.problems.push_back(fmt::format("labelled {} like {}, which nest reads as that resource", address,
                                       resources[keeper].docker_name));
      r.address = AddressFromName(r.kind, r.docker_name, stack);
      if (r.address == address) r.address += "#" + (r.version ? r.version->id : r.docker_name);
    }
  }
}

engine::Result<json> Listing(engine::EngineClient& client, const std::string& path, const std::string& doing) {
  auto result = client.Get(path, doing);
  if (!result.ok()) return result;
  if (result.value().is_null()) return json::array();
  return result;
}

void MergeById(json& into, const json& more, const char* id_key) {
  std::set<std::string> ids;
  for (const auto& item : into) ids.insert(StringOf(item, id_key));
  for (const auto& item : more) {
    if (ids.insert(StringOf(item, id_key)).second) into.push_back(item);
  }
}

}  // namespace

plan::StackState BuildLiveState(const std::string& stack, const SwarmListing& listing) {
  plan::StackState state;
  state.stack = stack;
  NormalizeContext context = Context(stack, listing);
  std::map<std::string, plan::ResourceState*> services_by_id;
  std::vector<plan::ResourceState>& out = state.resources;
  out.reserve(listing.services.size() + listing.networks.size() + 16);

  // A canary (canary.h) is the stable service's rollout in progress, not a
  // resource of the config: never planned, noted on its stable service.
  std::vector<const json*> canaries;
  for (const auto& service : listing.services) {
    const json& spec = ObjectOf(service, "Spec");
    if (!Belongs(ObjectOf(spec, "Labels"), StringOf(spec, "Name"), stack)) continue;
    if (!StringOf(ObjectOf(spec, "Labels"), kCanaryOfLabel).empty()) {
      canaries.push_back(&spec);
      continue;
    }
    plan::ResourceState r = NormalizeService(spec, context);
    r.version = plan::LiveVersion{StringOf(service, "ID"), VersionIndex(service)};
    Ownership(r, stack);
    // A blue-green colour: the live one stands for the config's service, a
    // kept previous one is no resource until it expires.
    if (!MapColour(spec, listing.read_at, r)) continue;
    UpdateProblem(ObjectOf(service, "UpdateStatus"), r);
    out.push_back(std::move(r));
  }
  for (const json* canary : canaries) {
    const json& labels = ObjectOf(*canary, "Labels");
    bool noted = false;
    for (auto& r : out) {
      if (r.docker_name != StringOf(labels, kCanaryOfLabel)) continue;
      r.problems.push_back(fmt::format(
          "a canary is in progress ({}, step {}): nest apply --promote {} goes on, --abort {} removes it",
          StringOf(*canary, "Name"), StringOf(labels, kCanaryStepLabel), GateName(r.address), GateName(r.address)));
      noted = true;
    }
    if (!noted) {
      state.problems.push_back(fmt::format("service {} is the canary of {}, which is not live: nest leaves it alone "
                                           "(docker service rm {} removes it)",
                                           StringOf(*canary, "Name"), StringOf(labels, kCanaryOfLabel),
                                           StringOf(*canary, "Name")));
    }
  }
  for (const auto& network : listing.networks) {
    std::string name = StringOf(network, "Name");
    if (!Belongs(ObjectOf(network, "Labels"), name, stack)) continue;
    plan::ResourceState r = NormalizeNetwork(network, context);
    r.version = plan::LiveVersion{StringOf(network, "Id"), 0};
    // docker stack deploy's implicit network for services that name none.
    bool implicit_default = name == stack + "_default" && r.stack_label;
    if (!implicit_default) Ownership(r, stack);
    // An allocated swarm network always has an address range; none means the
    // allocator refused it (e.g. a subnet overlapping another network's).
    const json& ipam = ObjectOf(network, "IPAM");
    auto configs = ipam.find("Config");
    bool no_range = configs == ipam.end() || !configs->is_array() || configs->empty();
    if (StringOf(network, "Scope") == "swarm" && no_range) {
      r.problems.push_back(
          "the swarm has not allocated this network (a subnet overlapping another network's?): its addresses and "
          "options are not in effect");
    }
    out.push_back(std::move(r));
  }
  for (auto [items, kind] : {std::pair{&listing.secrets, ResourceKind::kSecret}, {&listing.configs, ResourceKind::kConfig}}) {
    for (const auto& object : *items) {
      const json& spec = ObjectOf(object, "Spec");
      if (!Belongs(ObjectOf(spec, "Labels"), StringOf(spec, "Name"), stack)) continue;
      plan::ResourceState r = kind == ResourceKind::kSecret ? NormalizeSecret(spec, context) : NormalizeConfig(spec, context);
      r.version = plan::LiveVersion{StringOf(object, "ID"), VersionIndex(object)};
      Ownership(r, stack);
      out.push_back(std::move(r));
    }
  }
  std::set<std::string> volume_names;
  for (const auto& volume : listing.volumes) {
    std::string name = StringOf(volume, "Name");
    if (!Belongs(ObjectOf(volume, "Labels"), name, stack) || !volume_names.insert(name).second) continue;
    plan::ResourceState r = NormalizeVolume(volume, context);
    r.version = plan::LiveVersion{name, 0};
    Ownership(r, stack);
    out.push_back(std::move(r));
  }
  LazyVolumes(listing.services, stack, volume_names, context, out);
  ResolveDuplicates(out, stack);

  for (auto& r : out) {
    if (r.kind == ResourceKind::kService && r.version) services_by_id[r.version->id] = &r;
  }
  TaskProblems(listing.tasks, services_by_id);
  for (const auto& container : listing.containers) {
    std::string name;
    if (auto names = container.find("Names"); names != container.end() && names->is_array() && !names->empty()) {
      name = names->at(0).get<std::string>();
      if (!name.empty() && name[0] == '/') name.erase(0, 1);
    }
    state.problems.push_back(fmt::format(
        "container {} ({}) carries the label {}={} but is not a swarm task: nest does not manage it", name,
        StringOf(container, "Image"), kStackLabel, stack));
  }
  std::sort(out.begin(), out.end(), [](const plan::ResourceState& a, const plan::ResourceState& b) {
    return a.address < b.address;
  });
  return state;
}

engine::Result<SwarmListing> SwarmProvider::List(const std::string& stack) {
  SwarmListing listing;
  const std::string by_label = engine::LabelFilter({std::string(kStackLabel) + "=" + stack});
  const std::string by_name = engine::EncodeFilters({{"name", {stack + "_"}}});
  const std::string of = " of stack " + stack;
  const std::uint64_t before = client().request_count();
  last_request_count_ = 0;

  // First on the caller's client: the API version (once per client) and the
  // swarm, which also tells a non-swarm engine apart with a clear error.
  auto swarm = client().Get("/swarm", "reading the swarm (is this engine a swarm manager?)");
  last_request_count_ = client().request_count() - before;
  if (!swarm.ok()) return swarm.error();
  listing.swarm = std::move(swarm).value();

  // The eleven listings are independent: three connections read them at
  // once (the two service listings, the largest answers, on different ones).
  struct Job {
    std::string path;
    std::string doing;
    nlohmann::json answer;
  };
  std::vector<Job> jobs = {
      {"/services?" + by_label, "listing services" + of, {}},
      {"/services?" + by_name, "listing services by name" + of, {}},
      {"/networks", "listing networks" + of, {}},
      {"/secrets?" + by_label, "listing secrets" + of, {}},
      {"/secrets?" + by_name, "listing secrets" + of, {}},
      {"/configs?" + by_label, "listing configs" + of, {}},
      {"/configs?" + by_name, "listing configs" + of, {}},
      {"/volumes?" + by_label, "listing volumes" + of, {}},
      {"/volumes?" + by_name, "listing volumes" + of, {}},
      {"/tasks?" + by_label, "listing tasks" + of, {}},
      {"/containers/json?all=1&" +
           engine::EncodeFilters({{"label", {std::string(kStackLabel) + "=" + stack}}, {"is-task", {"false"}}}),
       "listing containers" + of,
       {}},
  };
  const std::vector<std::vector<std::size_t>> lanes = {{0, 9, 10}, {1, 2}, {3, 4, 5, 6, 7, 8}};
  std::vector<std::optional<engine::EngineError>> errors(jobs.size());
  engine::Endpoint endpoint = client().endpoint();
  endpoint.pinned_version = client().api_version();  // the helpers need no /_ping
  std::vector<std::uint64_t> counts(lanes.size(), 0);
  auto run_lane = [&](std::size_t lane, engine::EngineClient& client) {
    std::uint64_t start = client.request_count();
    for (std::size_t index : lanes[lane]) {
      auto answer = Listing(client, jobs[index].path, jobs[index].doing);
      if (!answer.ok()) {
        errors[index] = answer.error();
        break;
      }
      jobs[index].answer = std::move(answer).value();
    }
    counts[lane] = client.request_count() - start;
  };
  // Every client (libcurl handle) is made before any thread starts: handle
  // creation touches libcurl's global state, requests on distinct handles do not.
  std::vector<std::unique_ptr<engine::EngineClient>> clients;
  for (std::size_t lane = 1; lane < lanes.size(); ++lane) {
    clients.push_back(std::make_unique<engine::EngineClient>(endpoint, client().options()));
  }
  std::vector<std::thread> helpers;
  for (std::size_t lane = 1; lane < lanes.size(); ++lane) helpers.emplace_back(run_lane, lane, std::ref(*clients[lane - 1]));
  run_lane(0, client());
  for (auto& helper : helpers) helper.join();
  for (std::uint64_t count : counts) last_request_count_ += count;
  for (const auto& error : errors) {
    if (error) return *error;  // the first in job order, whichever lane met it first
  }

  MergeById(listing.services, jobs[0].answer, "ID");
  MergeById(listing.services, jobs[1].answer, "ID");
  listing.networks = std::move(jobs[2].answer);
  for (std::size_t i : {3, 4}) MergeById(listing.secrets, jobs[i].answer, "ID");
  for (std::size_t i : {5, 6}) MergeById(listing.configs, jobs[i].answer, "ID");
  for (std::size_t i : {7, 8}) {
    const auto& volumes = jobs[i].answer;
    if (auto list = volumes.find("Volumes"); volumes.is_object() && list != volumes.end() && list->is_array()) {
      MergeById(listing.volumes, *list, "Name");
    }
  }
  listing.tasks = std::move(jobs[9].answer);
  listing.containers = std::move(jobs[10].answer);
  return listing;
}

std::optional<plan::StackState> SwarmProvider::DesiredState(const Config& config, const std::string& stack,
                                                  Diagnostics& diags) {
  StackSpecs specs;
  auto state = plan::BuildDesiredState(config, Platform::kSwarm, stack, diags, &specs);
  if (state) specs_ = std::move(specs);
  return state;
}

Result<plan::StackState> SwarmProvider::ReadStack(const std::string& stack) {
  engine::Result<plan::StackState> live = ReadLive(stack);
  if (!live.ok()) return Error{live.error().Describe()};
  return std::move(live).value();
}

engine::Result<plan::StackState> SwarmProvider::ReadLive(const std::string& stack) {
  auto listing = List(stack);
  if (!listing.ok()) return listing.error();
  return BuildLiveState(stack, listing.value());
}

}  // namespace nest::swarm
