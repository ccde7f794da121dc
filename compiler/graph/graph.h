// The typed dependency graph of a stack (Boost.Graph inside graph.cc).
#pragma once

#include <string>
#include <vector>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"

namespace nest {

struct GraphNode {
  std::string address;
  ResourceKind kind;
};

// Edge `from` depends on `to`: `to` must exist before `from` is created.
struct GraphEdge {
  std::size_t from;
  std::size_t to;
  bool explicit_dependency;  // from depends_on rather than a reference
};

struct StackGraph {
  std::vector<GraphNode> nodes;  // sorted by address
  std::vector<GraphEdge> edges;  // sorted by (from, to)
  // Node indices in creation order (dependencies first; ties by address).
  // Empty when the graph has a cycle.
  std::vector<std::size_t> order;
};

// Builds the graph; each dependency cycle is reported once (NEST-E032) naming
// every resource on it. Deterministic: same config, same graph.
StackGraph BuildGraph(const Config& config, Diagnostics& diags);

std::string GraphToDot(const StackGraph& graph, const std::string& stack_name);
std::string GraphToJson(const StackGraph& graph, const std::string& stack_name);

}  // namespace nest
