#include "cli/rollback.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest {

Result<std::int64_t> RollbackRevision(const std::vector<std::int64_t>& kept, std::optional<std::int64_t> to,
                                      const std::string& stack) {
  if (kept.empty()) return Error{fmt::format("stack {} has no revisions: nothing was applied with nest yet", stack)};
  if (to) {
    if (std::find(kept.begin(), kept.end(), *to) != kept.end()) return *to;
    return Error{fmt::format("stack {} has no revision {}; kept: {} to {} (`nest history` lists them)", stack, *to,
                             kept.front(), kept.back())};
  }
  if (kept.size() < 2) {
    return Error{fmt::format("stack {} has only revision {}: there is none before it to roll back to", stack,
                             kept.back())};
  }
  return kept[kept.size() - 2];
}

Status CheckRollbackObjects(const plan::Plan& plan, std::int64_t revision) {
  std::vector<std::string> missing;
  for (const auto& change : plan.changes) {
    bool object = change.kind == ResourceKind::kSecret || change.kind == ResourceKind::kConfig;
    bool recreated = change.action == plan::Action::kCreate || change.action == plan::Action::kReplace;
    if (object && recreated) missing.push_back(fmt::format("{} ({})", change.address, change.docker_name));
  }
  if (missing.empty()) return Done{};
  return Error{fmt::format(
      "revision {} needs {} on the engine: {}. A revision keeps secrets and configs by name, "
      "never their content, so nest cannot create them again; apply that revision's config instead",
      revision, missing.size() == 1 ? "an object that no longer exists" : "objects that no longer exist",
      fmt::join(missing, ", "))};
}

std::string RenderHistoryText(const std::vector<swarm::Revision>& oldest_first, const std::string& stack) {
  if (oldest_first.empty()) return fmt::format("Stack {} has no revisions.\n", stack);
  std::string text = fmt::format("Revisions of stack {}, newest first:\n\n", stack);
  text += fmt::format("{:>4}  {:<30}  {:<12}  {}\n", "REV", "TIME", "CONFIG", "SUMMARY");
  for (auto it = oldest_first.rbegin(); it != oldest_first.rend(); ++it) {
    text += fmt::format("{:>4}  {:<30}  {:<12}  {}\n", it->number, it->time, it->config_hash.substr(0, 12),
                        it->summary);
  }
  return text;
}

std::string RenderHistoryJson(const std::vector<swarm::Revision>& oldest_first, const std::string& stack) {
  nlohmann::json revisions = nlohmann::json::array();
  for (auto it = oldest_first.rbegin(); it != oldest_first.rend(); ++it) {
    revisions.push_back(
        {{"number", it->number}, {"time", it->time}, {"config_hash", it->config_hash}, {"summary", it->summary}});
  }
  return nlohmann::json{{"stack", stack}, {"revisions", revisions}}.dump() + "\n";
}

}  // namespace nest
