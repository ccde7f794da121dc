// The labels Compose itself writes on the objects of a project, and the
// version nest writes them as: docker-compose 1.29 (Debian's) lists a
// project's containers by project, service and oneoff, and treats a
// container without `com.docker.compose.version` (or older than 1.21) as a
// legacy one, so nest writes every label it writes, with its version.
#pragma once

namespace nest::compose {

inline constexpr const char* kContainerNumberLabel = "com.docker.compose.container-number";
inline constexpr const char* kConfigHashLabel = "com.docker.compose.config-hash";
inline constexpr const char* kComposeVersionLabel = "com.docker.compose.version";
// The docker-compose release whose labels nest writes.
inline constexpr const char* kComposeVersion = "1.29.2";

// nest's own: a canary container (canary.h) names the service it is the
// canary of and the step that started it.
inline constexpr const char* kCanaryOfLabel = "nest.canary.of";
inline constexpr const char* kCanaryStepLabel = "nest.canary.step";

}  // namespace nest::compose
