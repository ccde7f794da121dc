// Typed values: what an expression evaluates to once variables, module
// outputs and interpolations are resolved. A Value always has a concrete
// kind; there is no implicit conversion between strings and numbers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/source/source.h"
#include "compiler/support/resource_kind.h"
#include "compiler/syntax/port.h"

namespace nest {

enum class ValueKind : std::uint8_t {
  kNull, kString, kNumber, kBool, kDuration, kSize, kPercent, kCidr, kIp, kPort,
  kList, kMap,     // map: string keys, in source order
  kObject,         // a nested block's attributes and blocks
  kReference,      // a resource: kind + address
};
const char* ValueKindName(ValueKind kind);

struct PortMapping {
  std::uint32_t published = 0;  // 0: not published
  std::uint32_t target = 0;
  PortProtocol protocol = PortProtocol::kTcp;  // PortProtocolName: "tcp", "udp", "sctp"
  PortMode mode = PortMode::kIngress;          // PortModeName: "ingress", "host"
};

// Members are ordered small to large so that a Value packs tightly: a checked
// stack holds one per attribute, list item and block.
struct Value {
  ValueKind kind = ValueKind::kNull;
  ResourceKind ref_kind = ResourceKind::kService;  // kReference
  bool is_integer = false;   // kNumber
  bool boolean = false;      // kBool
  bool sensitive = false;    // derived from a secret or a sensitive variable
  bool bare_word = false;    // kString written as a bare word (`start-first`), for enums
  Span span;                 // where the value was written (for diagnostics)
  PortMapping port;          // kPort
  double number = 0;         // kNumber, kPercent
  std::int64_t integer = 0;  // kDuration (nanoseconds), kSize (bytes)
  std::string text;          // kString, kCidr, kIp; kReference: the address
  std::vector<Value> items;  // kList
  std::vector<std::pair<std::string, Value>> fields;  // kMap, kObject

  // Declared here and defaulted below the struct: clang 14 with libstdc++ 12
  // cannot instantiate them implicitly while `fields` names Value incompletely.
  Value();
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  // kMap/kObject lookup; nullptr when absent.
  const Value* Find(std::string_view name) const;
  // Every element of a repeated nested block or list; empty when absent.
  // For an object field that holds one block, a list of that one block.
  std::vector<const Value*> All(std::string_view name) const;
};

inline Value::Value() = default;
inline Value::Value(const Value&) = default;
inline Value::Value(Value&&) noexcept = default;
inline Value& Value::operator=(const Value&) = default;
inline Value& Value::operator=(Value&&) noexcept = default;
inline Value::~Value() = default;

// Renders durations as Docker and compose do ("1m30s", "500ms").
std::string FormatDuration(std::int64_t nanos);
// Renders sizes with the largest exact binary unit ("512MiB", "1536B").
std::string FormatSize(std::int64_t bytes);

}  // namespace nest
