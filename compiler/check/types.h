// The types an attribute can declare, and checking a Value against one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/config/value.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace nest {

enum class TypeKind {
  kAny,
  kString,
  kNumber,
  kInteger,
  kBool,
  kDuration,
  kSize,
  kPercent,
  kCidr,
  kIp,
  kPort,          // a port mapping literal: 8080:80/udp
  kPortNumber,    // an integer 1..65535
  kFileMode,      // an octal string: "0440"
  kEnum,          // one of `choices`, written as a bare word or a string
  kList,          // of `element`
  kMap,           // string keys, values of `element`
  kReference,     // a resource of kind `ref`
  kAnyReference,  // a resource of any kind (depends_on)
  kCommand,       // a string (run by a shell) or a list of strings (exec form)
  kMountSource,   // a volume reference or a host path string
  kTypeExpression // a variable's `type = list(string)`
};

struct Type {
  TypeKind kind = TypeKind::kAny;
  std::shared_ptr<const Type> element;  // kList, kMap
  ResourceKind ref = ResourceKind::kService;
  std::vector<std::string> choices;     // kEnum
};

Type MakeType(TypeKind kind);
Type ListOf(Type element);
Type MapOf(Type element);
Type RefTo(ResourceKind kind);
Type EnumOf(std::vector<std::string> choices);

// "list(network reference)", "duration", "one of rolling, canary, blue-green".
std::string TypeName(const Type& type);

// Checks `value` against `type`, reporting NEST-E026 (kind), E028 (enum) or
// E031 (reference kind) at the value's span. Returns true when it conforms.
// `what` names the thing being checked for messages ("`replicas`").
bool CheckType(const Value& value, const Type& type, const std::string& what, Diagnostics& diags);

// CheckType's verdict without reporting or formatting anything.
bool Conforms(const Value& value, const Type& type);

// Reads a variable's type expression (`string`, `list(duration)`, ...);
// reports NEST-E026 and returns nullopt when it is not a type.
std::optional<Type> TypeFromExpression(const ast::Expr& expr, Diagnostics& diags);

// Whether two types are the same (for module inputs declared with a type).
bool SameType(const Type& a, const Type& b);

}  // namespace nest
