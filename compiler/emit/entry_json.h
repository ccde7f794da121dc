// The JSON model of one compose entry, and the arena it is built in.
//
// A 5000-service stack builds, hashes, writes and drops 5000 entry models,
// each a few hundred small objects, arrays and strings. With malloc that
// was most of `nest compile`'s emit phase: every node allocated, then freed
// into lists that the next entry searches again. While an EntryArena is open
// on a thread, the model's nodes come from one buffer that is reused from
// entry to entry: an allocation is a pointer bump, a free costs nothing, and
// the arena forgets them all when it closes. The model's strings
// (JsonString) come from it too, so a model built in an arena may be left
// undestroyed: AppendEntry does.
//
// The rule that keeps this safe: a Json built while an arena is open is
// destroyed, or abandoned, before that arena closes; never after. Without an
// open arena the allocator is std::allocator, so code that builds a model
// and keeps it (the planner's whole document, tests) is unaffected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace nest::emit {

// The arena open on this thread, or null.
std::pmr::memory_resource*& CurrentEntryArena();

// Stateless, so that every Json node shares it: allocates from the thread's
// open arena if any, else from the heap.
template <typename T>
struct EntryAllocator {
  using value_type = T;
  EntryAllocator() = default;
  template <typename U>
  EntryAllocator(const EntryAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (std::pmr::memory_resource* arena = CurrentEntryArena())
      return static_cast<T*>(arena->allocate(n * sizeof(T), alignof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (CurrentEntryArena() != nullptr) return;  // freed with the arena
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const EntryAllocator<U>&) const noexcept {
    return true;
  }
};

// Opens an arena on this thread for the scope (arenas nest: the previous one
// is restored on close). The buffer is the thread's own and is kept for the
// next arena, so after the first entry building a model touches no new
// memory.
class EntryArena {
 public:
  EntryArena();
  ~EntryArena();
  EntryArena(const EntryArena&) = delete;
  EntryArena& operator=(const EntryArena&) = delete;

 private:
  std::pmr::memory_resource* previous_;
  std::optional<std::pmr::monotonic_buffer_resource> resource_;
};

// The model's strings, keys and values, allocated the same way.
using JsonString = std::basic_string<char, std::char_traits<char>, EntryAllocator<char>>;

// nlohmann's ordered_json, allocating through EntryAllocator: the same
// values, the same key order.
using Json = nlohmann::basic_json<nlohmann::ordered_map, std::vector, JsonString, bool, std::int64_t,
                                  std::uint64_t, double, EntryAllocator>;

}  // namespace nest::emit
