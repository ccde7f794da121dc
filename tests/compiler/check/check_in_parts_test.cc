// A large stack's resources are checked on several threads: the Config and
// the diagnostics must be exactly one thread's, errors and warnings included.
#include <gtest/gtest.h>

#include <string>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/emit/compile.h"

namespace nest {
namespace {

// `services` services with networks, a variable, interpolation and
// references between resources; every `bad_every`-th service has errors (an
// unknown attribute, a dangling reference, a wrong type) when it is not 0.
std::string Stack(int services, int bad_every) {
  std::string text = "stack \"parts\" {}\n\nvariable \"tag\" {\n  default = \"1.0\"\n}\n";
  for (int n = 0; n < 8; ++n)
    text += "\nnetwork \"net" + std::to_string(n) + "\" {\n  subnet = 10.30." + std::to_string(n) + ".0/24\n}\n";
  for (int i = 0; i < services; ++i) {
    std::string name = "svc" + std::to_string(i);
    text += "\nservice \"" + name + "\" {\n  image    = \"registry.local/" + name + ":${var.tag}\"\n";
    text += "  replicas = " + std::to_string(i % 4 + 1) + "\n";
    text += "  networks = [network.net" + std::to_string(i % 8) + "]\n";
    text += "  env = {\n    PEER = \"${service.svc" + std::to_string((i + 1) % services) + "}\"\n    N = \"" +
            std::to_string(i) + "\"\n  }\n";
    text += "  healthcheck {\n    test     = [\"CMD\", \"true\"]\n    interval = 10s\n  }\n";
    text += "  resources {\n    memory = 128MiB\n    cpus   = 0.25\n  }\n";
    if (bad_every != 0 && i % bad_every == 3) {
      text += "  replica = 3\n";                    // unknown attribute
      text += "  secrets = [secret.missing]\n";     // dangling reference
      text += "  stop_grace_period = \"soon\"\n";   // wrong type
    }
    text += "}\n";
  }
  return text;
}

struct Checked {
  bool ok = false;
  std::string diagnostics;
  std::string addresses;  // every resource's address and dependencies, in order
  std::string compiled;   // the swarm file: every checked value
};

Checked Check(const std::string& text, unsigned threads) {
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  options.threads = threads;
  auto config = CheckSources({{"/stack/main.nest", text}}, options, sources, diags);
  Checked out;
  out.ok = config.has_value();
  out.diagnostics = RenderText(diags, sources, TextStyle{false});
  if (!config) return out;
  for (const auto& r : config->resources) {
    out.addresses += r.address + " <-";
    for (const auto& dep : r.depends_on) out.addresses += " " + dep;
    out.addresses += "\n";
  }
  EmitOptions emit;
  emit.threads = 1;
  Diagnostics emit_diags;
  out.compiled = CompileStack(*config, emit, "/stack", emit_diags).value_or("");
  return out;
}

TEST(CheckInParts, SameConfigAsOneThread) {
  std::string text = Stack(2400, 0);  // enough for three parts
  Checked one = Check(text, 1);
  ASSERT_TRUE(one.ok) << one.diagnostics;
  EXPECT_NE(one.compiled, "");
  for (unsigned threads : {2u, 3u, 5u, 0u}) {
    Checked parts = Check(text, threads);
    EXPECT_TRUE(parts.ok) << threads << " threads";
    EXPECT_EQ(parts.diagnostics, one.diagnostics) << threads << " threads";
    EXPECT_TRUE(parts.addresses == one.addresses) << threads << " threads: resources differ";
    EXPECT_TRUE(parts.compiled == one.compiled) << threads << " threads: checked values differ";
  }
}

TEST(CheckInParts, SameDiagnosticsAsOneThread) {
  std::string text = Stack(1600, 97);
  Checked one = Check(text, 1);
  ASSERT_FALSE(one.ok);
  EXPECT_NE(one.diagnostics.find("NEST-E"), std::string::npos);
  for (unsigned threads : {2u, 3u, 0u}) {
    Checked parts = Check(text, threads);
    EXPECT_FALSE(parts.ok) << threads << " threads";
    EXPECT_EQ(parts.diagnostics, one.diagnostics) << threads << " threads";
  }
}

}  // namespace
}  // namespace nest
