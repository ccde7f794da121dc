// libcurl, loaded when nest first talks to an engine rather than when the
// process starts.
//
// libcurl brings 29 shared libraries with it (GnuTLS, Kerberos, LDAP, SSH,
// ...). Loading and relocating them took about 6 ms of every run, a quarter
// of `nest compile` on a 100-service stack, for commands that never open a
// connection (validate, fmt, compile, graph). Only the engine client needs
// them, so it loads libcurl through this table on first use.
#pragma once

#include <curl/curl.h>
#include <string>

namespace nest::engine {

// The libcurl functions the engine client calls.
struct CurlLibrary {
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// Loads libcurl (libcurl.so.4, the ABI every libcurl since 7.16 keeps) and
// runs curl_global_init, once per process, from any thread. Returns null
// when it cannot be loaded, with the reason in `*error`.
const CurlLibrary* LoadCurl(std::string* error);

}  // namespace nest::engine
