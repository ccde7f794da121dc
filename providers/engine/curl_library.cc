#include "providers/engine/curl_library.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <mutex>

namespace nest::engine {
namespace {

struct Loaded {
  CurlLibrary library{};
  bool ok = false;
  std::string error;
};

// Looks every function up; false (with the missing name) if one is absent.
template <typename Function>
bool Bind(void* handle, const char* name, Function& out, std::string& error) {
  out = reinterpret_cast<Function>(dlsym(handle, name));
  if (out == nullptr) error = fmt::format("libcurl has no `{}`", name);
  return out != nullptr;
}

Loaded Load() {
  Loaded loaded;
  // The library stays loaded until the process exits: no dlclose.
  void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    loaded.error = fmt::format("cannot load libcurl ({}); install it (Debian: apt-get install libcurl4)",
                               why != nullptr ? why : "libcurl.so.4 not found");
    return loaded;
  }
  CurlLibrary& c = loaded.library;
  decltype(&::curl_global_init) global_init = nullptr;
  std::string& e = loaded.error;
  loaded.ok = Bind(handle, "curl_global_init", global_init, e) && Bind(handle, "curl_easy_init", c.easy_init, e) &&
              Bind(handle, "curl_easy_setopt", c.easy_setopt, e) &&
              Bind(handle, "curl_easy_perform", c.easy_perform, e) &&
              Bind(handle, "curl_easy_getinfo", c.easy_getinfo, e) &&
              Bind(handle, "curl_easy_reset", c.easy_reset, e) &&
              Bind(handle, "curl_easy_cleanup", c.easy_cleanup, e) &&
              Bind(handle, "curl_easy_strerror", c.easy_strerror, e) &&
              Bind(handle, "curl_slist_append", c.slist_append, e) &&
              Bind(handle, "curl_slist_free_all", c.slist_free_all, e);
  if (!loaded.ok) return loaded;
  if (CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    loaded.ok = false;
    loaded.error = fmt::format("libcurl could not start: {}", c.easy_strerror(rc));
  }
  return loaded;
}

}  // namespace

const CurlLibrary* LoadCurl(std::string* error) {
  static const Loaded loaded = Load();  // thread-safe, once
  if (!loaded.ok) {
    if (error != nullptr) *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace nest::engine
