// A service with an `autoscale` block owns its replica count at run time:
// `nest autoscale` moves it between the block's min and max. Planning must
// not undo that (every `docker stack deploy` resets it, docker/cli#2235), so
// while the live count lies within [min, max] it is what the config wants.
// Outside that range the config's count stands and the plan shows the change.
#pragma once

#include "planner/state/state.h"

namespace nest::plan {

// For every desired service whose labels carry nest.autoscale.min and
// nest.autoscale.max (what `nest compile` writes for an autoscale block) and
// whose live `replicas` lies within them, sets the desired `replicas` to the
// live value.
void AdoptAutoscaledReplicas(StackState& desired, const StackState& live);

}  // namespace nest::plan
