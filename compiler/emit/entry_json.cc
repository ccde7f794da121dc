#include "compiler/emit/entry_json.h"

namespace nest::emit {
namespace {

// Each thread's buffer: large enough for the model of any ordinary entry (a
// service with a route is about 20 KiB), so that the arena rarely asks the
// heap for more. Pages never written cost nothing.
constexpr std::size_t kBufferSize = 256 * 1024;

std::byte* ThreadBuffer() {
  thread_local std::unique_ptr<std::byte[]> buffer(new std::byte[kBufferSize]);
  return buffer.get();
}

}  // namespace

std::pmr::memory_resource*& CurrentEntryArena() {
  thread_local std::pmr::memory_resource* current = nullptr;
  return current;
}

EntryArena::EntryArena() : previous_(CurrentEntryArena()) {
  // An inner arena must not reuse the buffer the outer one is using.
  if (previous_ == nullptr) resource_.emplace(ThreadBuffer(), kBufferSize, std::pmr::new_delete_resource());
  else resource_.emplace(std::pmr::new_delete_resource());
  CurrentEntryArena() = &*resource_;
}

EntryArena::~EntryArena() { CurrentEntryArena() = previous_; }

}  // namespace nest::emit
