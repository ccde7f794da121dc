// The last scale change `nest autoscale` made to each service of a stack,
// kept on the engine so `nest status` can show it and a restarted
// autoscaler honours the cooldown of the one before it.
//
// One swarm config per stack, `nest-autoscale-<stack>`, like the lock
// (stack_lock.h) and the revisions (revisions.h): no stack namespace label
// (no part of the stack: `nest plan` never sees it), found by the label
// nest.autoscale-record.stack=<stack>. Its data is a fixed note; each
// service's last change is one label, nest.autoscale-record.<service name>,
// whose value is JSON: {"time": RFC 3339 by the manager's clock, "from": 2,
// "to": 4, "reason": "cpu 96% > 50% for 10s"}. Labels are updated in place
// with optimistic concurrency (?version=N), so the service's own spec (and
// so `nest plan`) is never touched by the bookkeeping.
#pragma once

#include <map>
#include <string>

#include "providers/engine/client.h"

namespace nest::swarm {

struct ScaleRecord {
  std::string time;  // RFC 3339, the manager's clock
  int from = 0;
  int to = 0;
  std::string reason;
};

// "nest-autoscale-<stack>"; "" when that is no valid config name.
std::string ScaleRecordConfigName(const std::string& stack);

// Service name -> its last recorded change; empty when none was recorded.
engine::Result<std::map<std::string, ScaleRecord>> ReadScaleRecords(engine::EngineClient& client,
                                                                    const std::string& stack);

// Records `record` (its time is set here, by the manager's clock) as the
// last change of `service`, creating the config on first use. Returns the
// time written.
engine::Result<std::string> WriteScaleRecord(engine::EngineClient& client, const std::string& stack,
                                             const std::string& service, ScaleRecord record);

}  // namespace nest::swarm
