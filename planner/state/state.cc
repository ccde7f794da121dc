#include "planner/state/state.h"

#include <algorithm>

#include "compiler/support/digest.h"

namespace nest::plan {

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case Kind::kScalar: return scalar == other.scalar;
    case Kind::kList: return list == other.list;
    case Kind::kMap: return map == other.map;
  }
  return false;
}

AttributeValue AttributeValue::Scalar(std::string text, bool sensitive) {
  AttributeValue value;
  value.kind = Kind::kScalar;
  value.scalar = std::move(text);
  value.sensitive = sensitive;
  return value;
}

AttributeValue AttributeValue::List(std::vector<AttributeValue> items, bool sensitive) {
  AttributeValue value;
  value.kind = Kind::kList;
  value.list = std::move(items);
  value.sensitive = sensitive;
  return value;
}

AttributeValue AttributeValue::Map(std::map<std::string, AttributeValue> entries, bool sensitive) {
  AttributeValue value;
  value.kind = Kind::kMap;
  value.map = std::move(entries);
  value.sensitive = sensitive;
  return value;
}

bool AttributeValue::ContainsSensitive() const {
  if (sensitive) return true;
  for (const auto& item : list) {
    if (item.ContainsSensitive()) return true;
  }
  for (const auto& [key, item] : map) {
    if (item.ContainsSensitive()) return true;
  }
  return false;
}

const ResourceState* StackState::Find(const std::string& address) const {
  auto it = std::lower_bound(resources.begin(), resources.end(), address,
                             [](const ResourceState& r, const std::string& a) { return r.address < a; });
  if (it != resources.end() && it->address == address) return &*it;
  for (const auto& resource : resources) {
    if (resource.address == address) return &resource;
  }
  return nullptr;
}

namespace {

// A length-prefixed, type-tagged encoding: no two different states encode
// to the same bytes.
char KindTag(AttributeValue::Kind kind) {
  switch (kind) {
    case AttributeValue::Kind::kScalar: return 's';
    case AttributeValue::Kind::kList: return 'l';
    case AttributeValue::Kind::kMap: return 'm';
  }
  return 's';
}

class Encoder {
 public:
  void Text(std::string_view text) {
    out_ += std::to_string(text.size());
    out_ += ':';
    out_ += text;
  }
  void Tag(char tag) { out_ += tag; }
  // With `mask_sensitive`, a sensitive value adds only its kind, never its
  // content.
  void Value(const AttributeValue& value, bool mask_sensitive) {
    if (mask_sensitive && value.sensitive) {
      Tag('x');
      Tag(KindTag(value.kind));
      return;
    }
    Tag(KindTag(value.kind));
    switch (value.kind) {
      case AttributeValue::Kind::kScalar:
        Text(value.scalar);
        break;
      case AttributeValue::Kind::kList:
        Text(std::to_string(value.list.size()));
        for (const auto& item : value.list) Value(item, mask_sensitive);
        break;
      case AttributeValue::Kind::kMap:
        Text(std::to_string(value.map.size()));
        for (const auto& [key, item] : value.map) {
          Text(key);
          Value(item, mask_sensitive);
        }
        break;
    }
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

std::vector<const ResourceState*> ByAddress(const StackState& state) {
  std::vector<const ResourceState*> sorted;
  for (const auto& resource : state.resources) sorted.push_back(&resource);
  std::sort(sorted.begin(), sorted.end(),
            [](const ResourceState* a, const ResourceState* b) { return a->address < b->address; });
  return sorted;
}

// Every sensitive value with the path that leads to it.
void EncodeSensitive(Encoder& encoder, const std::string& path, const AttributeValue& value) {
  if (value.sensitive) {
    encoder.Text(path);
    encoder.Value(value, false);
    return;
  }
  for (std::size_t i = 0; i < value.list.size(); ++i) {
    EncodeSensitive(encoder, path + "[" + std::to_string(i) + "]", value.list[i]);
  }
  for (const auto& [key, item] : value.map) EncodeSensitive(encoder, path + "." + key, item);
}

}  // namespace

std::string StateHash(const StackState& state) {
  Encoder encoder;
  encoder.Text("nest-state-1");
  encoder.Text(state.stack);
  for (const ResourceState* resource : ByAddress(state)) {
    encoder.Tag('r');
    encoder.Text(resource->address);
    encoder.Text(ResourceKindName(resource->kind));
    encoder.Text(resource->docker_name);
    encoder.Text(resource->spec_hash);
    encoder.Text(std::to_string(resource->attributes.size()));
    for (const auto& [name, value] : resource->attributes) {
      encoder.Text(name);
      encoder.Value(value, true);
    }
    std::vector<std::string> force_new = resource->force_new;
    std::sort(force_new.begin(), force_new.end());
    encoder.Text(std::to_string(force_new.size()));
    for (const auto& name : force_new) encoder.Text(name);
  }
  return Sha256Hex(encoder.bytes());
}

std::string SensitiveHash(const StackState& state) {
  Encoder encoder;
  encoder.Text("nest-sensitive-1");
  bool any = false;
  for (const ResourceState* resource : ByAddress(state)) {
    for (const auto& [name, value] : resource->attributes) {
      if (!value.ContainsSensitive()) continue;
      any = true;
      EncodeSensitive(encoder, resource->address + "." + name, value);
    }
  }
  return any ? Sha256Hex(encoder.bytes()) : "";
}

}  // namespace nest::plan
