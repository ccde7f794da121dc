#include "compiler/support/resource_kind.h"

namespace nest {

const char* ResourceKindName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kNetwork: return "network";
    case ResourceKind::kVolume: return "volume";
    case ResourceKind::kSecret: return "secret";
    case ResourceKind::kConfig: return "config";
    case ResourceKind::kService: return "service";
  }
  return "resource";
}

}  // namespace nest
