// One table of compose texts, each read three ways: by compiler/compose_syntax
// directly, by `nest import` (ImportComposeText, the text in a compose file)
// and by the swarm provider (ConvertComposeDocument, the text in the compose
// document `nest plan` reads). All three must agree on the value, or all must
// refuse the text with the same message; a row marked `kNestCannotExpress` is
// valid compose that the provider reads and the importer refuses on purpose.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/compose_syntax/byte_size.h"
#include "compiler/compose_syntax/duration.h"
#include "compiler/compose_syntax/port.h"
#include "compiler/compose_syntax/restart.h"
#include "compiler/compose_syntax/shell_words.h"
#include "compiler/compose_syntax/volume.h"
#include "compiler/config/value.h"
#include "compiler/import/importer.h"
#include "compiler/import/nest_writer.h"
#include "providers/swarm/convert.h"

namespace nest {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

enum class Form { kDuration, kSize, kWords, kPort, kVolume, kRestart };
enum class Nest { kCanExpress, kNestCannotExpress };

// `value` is the reading in a canonical text every path is brought to:
//   durations: nanoseconds; sizes: bytes; words: a JSON array;
//   ports: "published:target/protocol" per published port, published 0 when none;
//   volumes: "type source target ro|rw" (source "-" when anonymous);
//   restart: "none", "any", "on-failure" or "on-failure:N".
// nullopt: the text is not compose syntax, and `error` is part of the message.
struct Case {
  Form form;
  std::string text;
  std::optional<std::string> value;
  std::string error = {};
  Nest nest = Nest::kCanExpress;
};

const char* FormName(Form form) {
  switch (form) {
    case Form::kDuration: return "duration";
    case Form::kSize: return "size";
    case Form::kWords: return "words";
    case Form::kPort: return "port";
    case Form::kVolume: return "volume";
    case Form::kRestart: return "restart";
  }
  return "?";
}

// What one path made of a text: a canonical value, or the message it gave.
struct Reading {
  std::optional<std::string> value;
  std::string message;  // every message the path produced, joined
};

// ---- the library ------------------------------------------------------------

std::string PortCanonical(const compose_syntax::PortMapping& m) {
  std::string out;
  for (int t = m.target.first; t <= m.target.last; ++t) {
    int p = 0;
    if (m.published) p = m.published->last > m.published->first ? m.published->first + (t - m.target.first) : m.published->first;
    out += fmt::format("{}{}:{}/{}", out.empty() ? "" : ",", p, t, m.protocol);
  }
  return out;
}

template <typename T, typename Canonical>
Reading FromParsed(const compose_syntax::Parsed<T>& parsed, Canonical canonical) {
  if (!parsed) return Reading{std::nullopt, parsed.error().message};
  return Reading{canonical(parsed.value()), ""};
}

Reading ReadWithLibrary(const Case& c) {
  using namespace compose_syntax;  // NOLINT(google-build-using-namespace)
  auto number = [](std::int64_t v) { return std::to_string(v); };
  switch (c.form) {
    case Form::kDuration: return FromParsed(ParseDuration(c.text), number);
    case Form::kSize: return FromParsed(ParseByteSize(c.text), number);
    case Form::kWords: return FromParsed(SplitShellWords(c.text), [](const auto& w) { return json(w).dump(); });
    case Form::kPort: return FromParsed(ParseShortPort(c.text), PortCanonical);
    case Form::kVolume:
      return FromParsed(ParseShortVolume(c.text), [](const ShortVolume& v) {
        std::string type = v.source.empty() || !IsHostPath(v.source) ? "volume" : "bind";
        return fmt::format("{} {} {} {}", type, v.source.empty() ? "-" : v.source, v.target, v.read_only ? "ro" : "rw");
      });
    case Form::kRestart:
      return FromParsed(ParseRestartPolicy(c.text), [](const RestartPolicy& p) -> std::string {
        switch (p.condition) {
          case RestartCondition::kNo: return "none";
          case RestartCondition::kAlways:
          case RestartCondition::kUnlessStopped: return "any";
          case RestartCondition::kOnFailure:
            // MaxAttempts 0 is Swarm's "no limit", as no count is.
            return p.max_retries.value_or(0) > 0 ? fmt::format("on-failure:{}", *p.max_retries) : "on-failure";
        }
        return "?";
      });
  }
  return {};
}

// ---- nest import ---------------------------------------------------------------

std::string YamlQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string ComposeFile(const Case& c) {
  std::string q = YamlQuoted(c.text);
  std::string service;
  switch (c.form) {
    case Form::kDuration: service = fmt::format("    healthcheck:\n      test: [CMD, 'true']\n      interval: {}\n", q); break;
    case Form::kSize: service = fmt::format("    deploy:\n      resources:\n        limits:\n          memory: {}\n", q); break;
    case Form::kWords: service = fmt::format("    command: {}\n", q); break;
    case Form::kPort: service = fmt::format("    ports:\n      - {}\n", q); break;
    case Form::kVolume: service = fmt::format("    volumes:\n      - {}\n", q); break;
    case Form::kRestart: service = fmt::format("    restart: {}\n", q); break;
  }
  return "services:\n  app:\n    image: x\n" + service + "volumes:\n  data: {}\n";
}

// The right-hand side of the first `name = ...` in the generated source.
std::optional<std::string> Attribute(const std::string& source, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(source, m, std::regex("\\n\\s*" + name + "\\s*=\\s*([^\\n]*)"))) return std::nullopt;
  return m[1].str();
}

std::string Unquoted(std::string text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  return text;
}

// A nest port literal ("8080:80", "8080:80/udp", "80/tcp") in canonical text.
std::string NestPortCanonical(const std::string& literal) {
  std::string spec = literal, protocol = "tcp";
  if (auto slash = spec.find('/'); slash != std::string::npos) {
    protocol = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
  }
  auto colon = spec.find(':');
  std::string published = colon == std::string::npos ? "0" : spec.substr(0, colon);
  std::string target = colon == std::string::npos ? spec : spec.substr(colon + 1);
  return fmt::format("{}:{}/{}", published, target, protocol);
}

std::string ImportedCanonical(const Case& c, const std::string& source) {
  switch (c.form) {
    case Form::kDuration: return Attribute(source, "interval").value_or("<no interval>");
    case Form::kSize: return Attribute(source, "memory").value_or("<no memory>");
    case Form::kWords: return Attribute(source, "command").value_or("<no command>");
    case Form::kPort: {
      std::string list = Attribute(source, "ports").value_or("[]");
      list = list.substr(1, list.size() - 2);
      std::string out;
      for (std::size_t start = 0; start < list.size();) {
        std::size_t comma = list.find(", ", start);
        std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        out += (out.empty() ? "" : ",") + NestPortCanonical(item);
        start = comma == std::string::npos ? list.size() : comma + 2;
      }
      return out;
    }
    case Form::kVolume: {
      std::string source_expr = Attribute(source, "source").value_or("-");
      bool volume = source_expr.starts_with("volume.");
      return fmt::format("{} {} {} {}", volume ? "volume" : "bind",
                         volume ? source_expr.substr(7) : Unquoted(source_expr),
                         Unquoted(Attribute(source, "target").value_or("")),
                         Attribute(source, "read_only") == "true" ? "ro" : "rw");
    }
    case Form::kRestart: {
      auto condition = Attribute(source, "condition");
      if (!condition) return "none";
      auto attempts = Attribute(source, "max_attempts");
      std::string cond = Unquoted(*condition);
      return attempts && *attempts != "0" ? fmt::format("{}:{}", cond, *attempts) : cond;
    }
  }
  return "?";
}

Reading ReadWithImport(const Case& c) {
  SourceManager sources;
  Diagnostics diags;
  ImportOptions options;
  options.output_dir = "/tmp";
  options.stack_name = "test";
  auto source = ImportComposeText("/tmp/compose/docker-compose.yml", ComposeFile(c), options, sources, diags);
  Reading r;
  for (const auto& d : diags.list()) {
    r.message += d.summary + "\n";
    for (const auto& note : d.notes) r.message += note + "\n";
  }
  if (!source) return r;
  r.value = ImportedCanonical(c, "\n" + *source);
  return r;
}

// The canonical value in the spelling nest import writes it in.
std::string NestSpelling(const Case& c, const std::string& canonical) {
  switch (c.form) {
    case Form::kDuration: return FormatDuration(std::stoll(canonical));
    case Form::kSize: return FormatSize(std::stoll(canonical));
    case Form::kWords: {
      std::vector<std::string> items;
      for (const auto& w : json::parse(canonical)) items.push_back(import::QuoteString(w.get<std::string>()));
      return import::ListExpr(items);
    }
    default: return canonical;
  }
}

// ---- the swarm provider -----------------------------------------------------------

ordered_json ProviderDocument(const Case& c) {
  ordered_json service = {{"image", "x"}};
  switch (c.form) {
    case Form::kDuration: service["healthcheck"] = {{"test", {"CMD", "true"}}, {"interval", c.text}}; break;
    case Form::kSize: service["deploy"] = {{"resources", {{"limits", {{"memory", c.text}}}}}}; break;
    case Form::kWords: service["command"] = c.text; break;
    case Form::kPort: service["ports"] = ordered_json::array({c.text}); break;
    case Form::kVolume: service["volumes"] = ordered_json::array({c.text}); break;
    case Form::kRestart: service["restart"] = c.text; break;
  }
  return {{"services", {{"app", service}}}, {"volumes", {{"data", ordered_json::object()}}}};
}

std::optional<std::string> ProviderCanonical(const Case& c, const json& spec) {
  const json& container = spec["TaskTemplate"]["ContainerSpec"];
  switch (c.form) {
    case Form::kDuration: {
      const json& check = container.value("Healthcheck", json::object());
      if (!check.contains("Interval")) return std::nullopt;
      return std::to_string(check["Interval"].get<std::int64_t>());
    }
    case Form::kSize: {
      const json& limits = spec["TaskTemplate"]["Resources"].value("Limits", json::object());
      if (!limits.contains("MemoryBytes")) return std::nullopt;
      return std::to_string(limits["MemoryBytes"].get<std::int64_t>());
    }
    case Form::kWords:
      if (!container.contains("Args")) return std::nullopt;
      return container["Args"].dump();
    case Form::kPort: {
      const json& ports = spec["EndpointSpec"].value("Ports", json::array());
      if (ports.empty()) return std::nullopt;
      std::string out;
      for (const auto& p : ports)
        out += fmt::format("{}{}:{}/{}", out.empty() ? "" : ",", p.value("PublishedPort", 0), p["TargetPort"].get<int>(),
                           p["Protocol"].get<std::string>());
      return out;
    }
    case Form::kVolume: {
      if (!container.contains("Mounts")) return std::nullopt;
      const json& m = container["Mounts"][0];
      std::string source = m.value("Source", "-");
      if (source.starts_with("test_")) source = source.substr(5);  // the stack scope
      return fmt::format("{} {} {} {}", m["Type"].get<std::string>(), source, m["Target"].get<std::string>(),
                         m.value("ReadOnly", false) ? "ro" : "rw");
    }
    case Form::kRestart: {
      const json& task = spec["TaskTemplate"];
      if (!task.contains("RestartPolicy")) return "none";
      const json& p = task["RestartPolicy"];
      std::string condition = p["Condition"].get<std::string>();
      return p.contains("MaxAttempts") ? fmt::format("{}:{}", condition, p["MaxAttempts"].get<std::int64_t>()) : condition;
    }
  }
  return std::nullopt;
}

Reading ReadWithProvider(const Case& c) {
  swarm::StackSpecs specs = swarm::ConvertComposeDocument(ProviderDocument(c), "test");
  Reading r;
  for (const auto& w : specs.warnings) r.message += w + "\n";
  // A refused restart policy leaves no policy, which reads as "none": the
  // warning says which it was.
  if (!r.message.empty()) return r;
  r.value = ProviderCanonical(c, specs.services.at(0));
  return r;
}

// ---- the table --------------------------------------------------------------------

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      // Durations: Go's time.ParseDuration, exact to the nanosecond.
      {Form::kDuration, "1m30s", "90000000000"},
      {Form::kDuration, "1h", "3600000000000"},
      {Form::kDuration, "500ms", "500000000"},
      {Form::kDuration, "1.5s", "1500000000"},
      {Form::kDuration, "0s", "0"},
      {Form::kDuration, "0", "0"},
      {Form::kDuration, "1.5h", "5400000000000"},
      {Form::kDuration, "10us", "10000"},
      {Form::kDuration, "10\xC2\xB5s", "10000"},
      {Form::kDuration, "2h45m30.5s", "9930500000000"},
      {Form::kDuration, ".5s", "500000000"},
      {Form::kDuration, "1.s", "1000000000"},
      // Below a nanosecond: rounded toward zero, as Go does (the importer
      // used to round this one up to 1000000001).
      {Form::kDuration, "1.0000000009s", "1000000000"},
      {Form::kDuration, "0.000000000001h", "3"},
      {Form::kDuration, "2562047h47m16.854775807s", "9223372036854775807"},
      {Form::kDuration, "-2s", "-2000000000", "", Nest::kNestCannotExpress},
      {Form::kDuration, "30", std::nullopt, "`30` has no unit"},
      {Form::kDuration, "1d", std::nullopt, "unknown unit `d`"},
      {Form::kDuration, "", std::nullopt, "a duration cannot be empty"},
      {Form::kDuration, "s", std::nullopt, "expected a number"},
      {Form::kDuration, "1.2.3s", std::nullopt, "`1.2.3` is not a number"},
      {Form::kDuration, "1 s", std::nullopt, "unknown unit ` s`"},
      {Form::kDuration, "-", std::nullopt, "a sign needs a number"},
      {Form::kDuration, "2562047h47m16.854775808s", std::nullopt, "292 years"},

      // Sizes: docker's units.RAMInBytes, powers of 1024 whatever the spelling.
      {Form::kSize, "512m", "536870912"},
      {Form::kSize, "512M", "536870912"},
      {Form::kSize, "512MiB", "536870912"},
      {Form::kSize, "512mb", "536870912"},
      {Form::kSize, "512 m", "536870912"},
      {Form::kSize, "1g", "1073741824"},
      {Form::kSize, "1024k", "1048576"},
      {Form::kSize, "1.5GB", "1610612736"},
      {Form::kSize, "0.5k", "512"},
      {Form::kSize, "100b", "100"},
      {Form::kSize, "1024", "1024"},
      {Form::kSize, "2t", "2199023255552"},
      {Form::kSize, "12 apples", std::nullopt, "unknown unit `apples`"},
      {Form::kSize, "512Mi", std::nullopt, "unknown unit `Mi`"},  // docker refuses it; both paths took it
      {Form::kSize, "1ib", std::nullopt, "unknown unit `ib`"},  // the provider took it as 1 byte
      {Form::kSize, "-1m", std::nullopt, "must start with a number"},
      {Form::kSize, "m", std::nullopt, "must start with a number"},
      {Form::kSize, "", std::nullopt, "a size cannot be empty"},
      {Form::kSize, "1e3", std::nullopt, "unknown unit `e3`"},
      {Form::kSize, "512m ", std::nullopt, "unknown unit `m `"},  // the provider trimmed the space
      {Form::kSize, "9000000p", std::nullopt, "more bytes than fit in 64 bits"},

      // Shell words of a string command.
      {Form::kWords, "sh -c 'echo hi'", R"(["sh","-c","echo hi"])"},
      {Form::kWords, R"(a "b c" d\ e 'f"g')", R"(["a","b c","d e","f\"g"])"},
      {Form::kWords, R"(echo "say \"hi\" a\\b")", R"(["echo","say \"hi\" a\\b"])"},
      {Form::kWords, R"(printf "a\nb")", R"(["printf","a\\nb"])"},  // POSIX: `\n` stays in double quotes
      {Form::kWords, R"(printf 'a\nb')", R"(["printf","a\\nb"])"},
      {Form::kWords, "a '' b", R"(["a","","b"])"},
      {Form::kWords, "  lots \t of   space  ", R"(["lots","of","space"])"},
      // The provider used to accept these three and guess.
      {Form::kWords, "echo 'unterminated", std::nullopt, "unterminated single quote"},
      {Form::kWords, "echo \"unterminated", std::nullopt, "unterminated double quote"},
      {Form::kWords, "echo trailing\\", std::nullopt, "lone backslash"},

      // Short ports.
      {Form::kPort, "8080:80", "8080:80/tcp"},
      {Form::kPort, "8080:80/udp", "8080:80/udp"},
      {Form::kPort, "8080:80/tcp", "8080:80/tcp"},
      {Form::kPort, "53:53/UDP", "53:53/udp"},
      {Form::kPort, "80", "0:80/tcp"},
      {Form::kPort, "9000/sctp", "0:9000/sctp"},
      {Form::kPort, "127.0.0.1:8080:80", "8080:80/tcp", "", Nest::kNestCannotExpress},
      {Form::kPort, "8000-8001:80-81", "8000:80/tcp,8001:81/tcp", "", Nest::kNestCannotExpress},
      {Form::kPort, "0:80", "0:80/tcp", "", Nest::kNestCannotExpress},
      {Form::kPort, "80/xyz", std::nullopt, "`xyz` is not a protocol"},
      {Form::kPort, "http:80", std::nullopt, "`http` is not a port"},
      {Form::kPort, "70000:80", std::nullopt, "`70000` is not a port"},
      {Form::kPort, "8000-8001:80-82", std::nullopt, "different lengths"},
      {Form::kPort, "81-80", std::nullopt, "ends before it starts"},
      {Form::kPort, "8080:", std::nullopt, "names no container port"},
      {Form::kPort, "", std::nullopt, "names no container port"},

      // Short volumes (a top-level volume `data` is declared).
      {Form::kVolume, "data:/x", "volume data /x rw"},
      {Form::kVolume, "data:/x:ro", "volume data /x ro"},
      {Form::kVolume, "data:/x:rw", "volume data /x rw"},
      {Form::kVolume, "/host:/x:ro", "bind /host /x ro"},
      {Form::kVolume, "data:/x:nocopy", "volume data /x rw", "", Nest::kNestCannotExpress},
      {Form::kVolume, "data:/x:rw,ro", "volume data /x ro", "", Nest::kNestCannotExpress},
      {Form::kVolume, "/data", "volume - /data rw", "", Nest::kNestCannotExpress},
      {Form::kVolume, "data:/x:ro:z", std::nullopt, "too many colons"},  // the provider ignored the rest
      {Form::kVolume, "data::/x", std::nullopt, "an empty piece between colons"},
      {Form::kVolume, "data:/x:", std::nullopt, "an empty piece between colons"},

      // restart:
      {Form::kRestart, "always", "any"},
      {Form::kRestart, "unless-stopped", "any"},
      {Form::kRestart, "on-failure", "on-failure"},
      {Form::kRestart, "on-failure:3", "on-failure:3"},
      {Form::kRestart, "on-failure:0", "on-failure"},
      {Form::kRestart, "no", "none"},
      {Form::kRestart, "sometimes", std::nullopt, "use no, always"},  // the provider ignored it
      {Form::kRestart, "on-failure:x", std::nullopt, "not a whole number"},
      {Form::kRestart, "always:3", std::nullopt, "only on-failure takes a retry count"},  // the provider kept the 3
      {Form::kRestart, "on-failurex", std::nullopt, "use no, always"},  // the importer read on-failure
      {Form::kRestart, ":3", std::nullopt, "no policy before the colon"},
  };
  return cases;
}

TEST(ComposeSyntax, ImporterAndProviderReadEveryTextAlike) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(fmt::format("{} `{}`", FormName(c.form), c.text));
    Reading library = ReadWithLibrary(c);
    Reading imported = ReadWithImport(c);
    Reading provided = ReadWithProvider(c);
    if (c.value) {
      EXPECT_EQ(library.value, c.value) << library.message;
      EXPECT_EQ(provided.value, c.value) << provided.message;
      if (c.nest == Nest::kCanExpress) {
        ASSERT_TRUE(imported.value) << imported.message;
        EXPECT_EQ(*imported.value, NestSpelling(c, *c.value)) << imported.message;
      } else {
        EXPECT_FALSE(imported.value) << "nest import should refuse what nest cannot express";
        EXPECT_NE(imported.message.find("nest"), std::string::npos) << imported.message;
      }
      continue;
    }
    // Not compose syntax: every path refuses it, with the library's words.
    EXPECT_FALSE(library.value);
    EXPECT_FALSE(imported.value);
    EXPECT_FALSE(provided.value);
    EXPECT_NE(library.message.find(c.error), std::string::npos) << library.message;
    EXPECT_NE(imported.message.find(library.message), std::string::npos) << imported.message;
    EXPECT_NE(provided.message.find(library.message), std::string::npos) << provided.message;
  }
}

}  // namespace
}  // namespace nest
