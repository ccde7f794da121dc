#include "compiler/graph/graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>
#include <queue>
#include <set>

namespace nest {
namespace {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// A shortest cycle from the component's first node back to it, found
// breadth-first with neighbours in address order; the nodes in the order the
// dependencies run (each depends on the next, the last on the first).
std::vector<std::size_t> CycleThrough(const StackGraph& graph, const std::vector<std::size_t>& members) {
  std::set<std::size_t> in(members.begin(), members.end());
  std::map<std::size_t, std::vector<std::size_t>> next;
  for (const auto& e : graph.edges)
    if (in.count(e.from) && in.count(e.to)) next[e.from].push_back(e.to);
  std::size_t start = members[0];
  std::map<std::size_t, std::size_t> parent;
  std::queue<std::size_t> queue;
  queue.push(start);
  while (!queue.empty()) {
    std::size_t n = queue.front();
    queue.pop();
    for (std::size_t m : next[n]) {
      if (m == start) {
        std::vector<std::size_t> cycle{n};
        while (cycle.back() != start) cycle.push_back(parent[cycle.back()]);
        std::reverse(cycle.begin(), cycle.end());
        return cycle;
      }
      if (parent.emplace(m, n).second) queue.push(m);
    }
  }
  return members;  // not reached: a component's nodes are all on cycles
}

// Reports every strongly connected component with more than one node, or a
// node that depends on itself: each is a cycle, named in full once.
bool ReportCycles(const StackGraph& graph, const Config& config, Diagnostics& diags) {
  BoostGraph g(graph.nodes.size());
  bool self_loop = false;
  for (const auto& e : graph.edges) {
    boost::add_edge(e.from, e.to, g);
    self_loop = self_loop || e.from == e.to;
  }
  std::vector<int> component(graph.nodes.size());
  int count = boost::strong_components(g, component.data());
  if (count == static_cast<int>(graph.nodes.size()) && !self_loop) return false;
  std::map<int, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < component.size(); ++i) members[component[i]].push_back(i);
  std::set<std::size_t> self_loops;
  for (const auto& e : graph.edges)
    if (e.from == e.to) self_loops.insert(e.from);
  bool found = false;
  // Report in address order, so the output does not depend on Boost's numbering.
  std::vector<std::vector<std::size_t>> cycles;
  for (auto& [id, nodes] : members)
    if (nodes.size() > 1 || self_loops.count(nodes[0])) cycles.push_back(nodes);
  std::sort(cycles.begin(), cycles.end());
  for (const auto& nodes : cycles) {
    found = true;
    std::vector<std::size_t> cycle = CycleThrough(graph, nodes);
    std::vector<std::string> names;
    for (std::size_t n : cycle) names.push_back(graph.nodes[n].address);
    std::vector<std::string> others;
    for (std::size_t n : nodes)
      if (std::find(cycle.begin(), cycle.end(), n) == cycle.end()) others.push_back(graph.nodes[n].address);
    const Resource* first = config.Find(names[0]);
    Diagnostic& d = diags.Error(DiagCode::DependencyCycle, first ? first->span : Span{},
                                cycle.size() == 1
                                    ? fmt::format("`{}` depends on itself", names[0])
                                    : fmt::format("dependency cycle: {} -> {}", fmt::join(names, " -> "), names[0]));
    d.label = "on a dependency cycle";
    for (std::size_t i = 1; i < names.size(); ++i)
      if (const Resource* r = config.Find(names[i])) d.related.push_back(r->span);
    if (!others.empty()) {
      d.notes.push_back(fmt::format("also on cycles with them: {}", fmt::join(others, ", ")));
      for (const auto& other : others)
        if (const Resource* r = config.Find(other)) d.related.push_back(r->span);
    }
    d.help.push_back("remove one of the references or `depends_on` entries between them");
  }
  return found;
}

// Kahn's algorithm with a min-heap on address, so the order is the same on
// every run. Shorter than the node list when there is a cycle (the nodes on
// it and behind it never become ready).
std::vector<std::size_t> CreationOrder(const StackGraph& graph) {
  const std::size_t n = graph.nodes.size();
  std::vector<std::size_t> pending(n, 0);
  // Each node's dependents, packed: those of node i are
  // dependents[first[i] .. first[i + 1]), in edge order.
  std::vector<std::size_t> first(n + 1, 0);
  for (const auto& e : graph.edges) {
    ++pending[e.from];
    ++first[e.to + 1];
  }
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<std::size_t> dependents(graph.edges.size());
  std::vector<std::size_t> filled(first.begin(), first.end() - 1);
  for (const auto& e : graph.edges) dependents[filled[e.to]++] = e.from;
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::size_t node = ready.top();
    ready.pop();
    order.push_back(node);
    for (std::size_t i = first[node]; i < first[node + 1]; ++i)
      if (--pending[dependents[i]] == 0) ready.push(dependents[i]);
  }
  return order;
}

}  // namespace

StackGraph BuildGraph(const Config& config, Diagnostics& diags) {
  StackGraph graph;
  // Sorted by address: pointers sort faster than nodes holding strings.
  std::vector<const Resource*> sorted;
  sorted.reserve(config.resources.size());
  for (const auto& r : config.resources) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const Resource* a, const Resource* b) { return a->address < b->address; });
  graph.nodes.reserve(sorted.size());
  for (const Resource* r : sorted) graph.nodes.push_back({r->address, r->kind});
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(graph.nodes.size());
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) index.emplace(graph.nodes[i].address, i);
  // In node order, each resource's dependencies in address order (depends_on
  // is sorted): the edges come out sorted by (from, to) already.
  for (std::size_t from = 0; from < sorted.size(); ++from) {
    const Resource& r = *sorted[from];
    for (const auto& target : r.depends_on) {
      auto it = index.find(target);
      bool is_explicit = std::binary_search(r.explicit_depends_on.begin(), r.explicit_depends_on.end(), target);
      if (it != index.end()) graph.edges.push_back({from, it->second, is_explicit});
    }
  }
  auto by_ends = [](const GraphEdge& a, const GraphEdge& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); };
  if (!std::is_sorted(graph.edges.begin(), graph.edges.end(), by_ends))
    std::sort(graph.edges.begin(), graph.edges.end(), by_ends);
  // Kahn's algorithm orders every node exactly when there is no cycle; only
  // then is the (costlier) search for the cycles to report needed.
  std::vector<std::size_t> order = CreationOrder(graph);
  if (order.size() == graph.nodes.size()) graph.order = std::move(order);
  else ReportCycles(graph, config, diags);
  diags.Sort();
  return graph;
}

std::string GraphToDot(const StackGraph& graph, const std::string& stack_name) {
  static const std::map<ResourceKind, const char*> kShapes = {
      {ResourceKind::kNetwork, "ellipse"}, {ResourceKind::kVolume, "cylinder"},
      {ResourceKind::kSecret, "octagon"},  {ResourceKind::kConfig, "note"},
      {ResourceKind::kService, "box"}};
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir = \"RL\";\n", stack_name);
  for (const auto& n : graph.nodes)
    out += fmt::format("  \"{}\" [shape = {}];\n", n.address, kShapes.at(n.kind));
  for (const auto& e : graph.edges)
    out += fmt::format("  \"{}\" -> \"{}\"{};\n", graph.nodes[e.from].address, graph.nodes[e.to].address,
                       e.explicit_dependency ? " [style = dashed]" : "");
  out += "}\n";
  return out;
}

std::string GraphToJson(const StackGraph& graph, const std::string& stack_name) {
  nlohmann::ordered_json j;
  j["format_version"] = "1.0";
  j["stack"] = stack_name;
  j["nodes"] = nlohmann::ordered_json::array();
  for (const auto& n : graph.nodes) {
    std::vector<std::string> deps;
    for (const auto& e : graph.edges)
      if (graph.nodes[e.from].address == n.address) deps.push_back(graph.nodes[e.to].address);
    j["nodes"].push_back({{"address", n.address}, {"kind", ResourceKindName(n.kind)}, {"depends_on", deps}});
  }
  j["edges"] = nlohmann::ordered_json::array();
  for (const auto& e : graph.edges)
    j["edges"].push_back({{"from", graph.nodes[e.from].address},
                          {"to", graph.nodes[e.to].address},
                          {"explicit", e.explicit_dependency}});
  j["order"] = nlohmann::ordered_json::array();
  for (std::size_t i : graph.order) j["order"].push_back(graph.nodes[i].address);
  return j.dump(2) + "\n";
}

}  // namespace nest
