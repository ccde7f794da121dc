#include "providers/compose/revisions.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "providers/engine/query.h"
#include "providers/swarm/manager_clock.h"
#include "providers/swarm/timestamp.h"

namespace nest::compose {
namespace {

using nlohmann::json;

constexpr const char* kStack = "nest.revision.stack";
constexpr const char* kNumber = "nest.revision.number";
constexpr const char* kTime = "nest.revision.time";
constexpr const char* kConfigHash = "nest.revision.config-hash";
constexpr const char* kSummary = "nest.revision.summary";
constexpr const char* kDocument = "nest.revision.document";

std::string RevisionName(const std::string& project, int number) { return fmt::format("nest-rev-{}-{}", project, number); }

}  // namespace

Result<int> RecordProjectRevision(engine::EngineClient& client, const std::string& project,
                                  const ProjectRevision& revision, int keep) {
  auto listed = client.Get("/volumes?" + engine::LabelFilter({std::string(kStack) + "=" + project}),
                           "listing the revisions of compose project " + project);
  if (!listed.ok()) return Error{listed.error().Describe()};
  std::vector<int> numbers;
  if (listed.value().contains("Volumes") && listed.value()["Volumes"].is_array()) {
    for (const auto& v : listed.value()["Volumes"]) {
      try {
        numbers.push_back(std::stoi(v["Labels"].value(kNumber, "")));
      } catch (const std::exception&) {
        // Not one of ours after all: leave it.
      }
    }
  }
  std::sort(numbers.begin(), numbers.end());
  auto now = swarm::ManagerTime(client, "reading the engine's clock");
  if (!now.ok()) return Error{now.error().Describe()};
  std::string summary = revision.summary.substr(0, 200);
  int number = numbers.empty() ? 1 : numbers.back() + 1;
  // A concurrent writer (only a forced unlock allows one) may have taken
  // the number: the create answers with its volume, so move on.
  for (int attempt = 0; attempt < 5; ++attempt, ++number) {
    json labels = {{kStack, project},
                   {kNumber, std::to_string(number)},
                   {kTime, swarm::FormatEngineTime(now.value())},
                   {kConfigHash, revision.config_hash},
                   {kSummary, summary},
                   {kDocument, revision.document.dump()}};
    auto created = client.Post("/volumes/create", json{{"Name", RevisionName(project, number)}, {"Labels", labels}},
                               "recording a revision of compose project " + project);
    if (!created.ok()) return Error{created.error().Describe()};
    if (created.value()["Labels"].value(kConfigHash, "") != revision.config_hash ||
        created.value()["Labels"].value(kTime, "") != labels[kTime]) {
      continue;
    }
    numbers.push_back(number);
    for (std::size_t i = 0; i + keep < numbers.size(); ++i) {
      (void)client.Delete("/volumes/" + engine::UrlEncode(RevisionName(project, numbers[i])), "removing an old revision");
    }
    return number;
  }
  return Error{fmt::format("could not record a revision of compose project {}: the numbers kept being taken", project)};
}

}  // namespace nest::compose
