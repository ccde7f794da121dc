#include "compiler/emit/yaml_writer.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace nest {
namespace {

using Json = nlohmann::ordered_json;

TEST(YamlWriter, PlainOnlyWhenNoYamlReaderCanMistakeTheString) {
  for (const char* plain : {"nginx", "nginx:1.27", "/var/run/docker.sock", "node.labels.zone", "a=b,c+d",
                            "json-file", "traefik.http.routers.x.rule", "_private", "SIGINT", "CMD-SHELL",
                            "user@host"})
    EXPECT_TRUE(IsPlainSafe(plain)) << plain;
  for (const char* quoted :
       {"", "3000", "0440", "1.5", "1e3", "0x1F", ".5", ".inf", "1:30", "65534:65534", "30s", "512M", "-x",
        "--flag", "yes", "Yes", "no", "NO", "y", "n", "N", "on", "off", "true", "False", "null", "~", "a b",
        "a: b", "key:", "./secrets/x", "#x", "x #y", "@daily", "!tag", "&anchor", "*alias", "[a]", "{a}",
        "a\"b", "line\nbreak", "caf\xc3\xa9", "%x", "`x`", "Host(`a`)"})
    EXPECT_FALSE(IsPlainSafe(quoted)) << quoted;
}

TEST(YamlWriter, WritesBlockStyleInModelOrder) {
  Json doc = Json::object();
  doc["version"] = "3.9";
  doc["services"]["web"]["image"] = "nginx";
  doc["services"]["web"]["command"] = Json::array({"--port", "8080"});
  doc["services"]["web"]["environment"] = Json{{"PORT", "8080"}, {"DEBUG", "no"}};
  doc["services"]["web"]["ports"] = Json::array({Json{{"target", 80}, {"published", 8080}}});
  doc["services"]["web"]["init"] = false;
  doc["networks"]["n"] = Json::object();
  doc["x"] = Json::array();
  doc["ratio"] = 0.0;
  doc["cpus"] = 0.25;
  EXPECT_EQ(WriteYaml(doc),
            "version: \"3.9\"\n"
            "services:\n"
            "  web:\n"
            "    image: nginx\n"
            "    command:\n"
            "      - \"--port\"\n"
            "      - \"8080\"\n"
            "    environment:\n"
            "      PORT: \"8080\"\n"
            "      DEBUG: \"no\"\n"
            "    ports:\n"
            "      - target: 80\n"
            "        published: 8080\n"
            "    init: false\n"
            "networks:\n"
            "  \"n\": {}\n"
            "x: []\n"
            "ratio: 0.0\n"
            "cpus: 0.25\n");
}

TEST(YamlWriter, EscapesDollarsInValuesOnly) {
  Json doc = Json{{"command", Json::array({"echo $HOME ${X}"})}, {"$key", "a$b"}};
  EXPECT_EQ(WriteYaml(doc), "command:\n  - \"echo $$HOME $${X}\"\n\"$key\": \"a$$b\"\n");
  EXPECT_EQ(WriteYaml(doc, /*compose_escapes=*/false), "command:\n  - \"echo $HOME ${X}\"\n\"$key\": \"a$b\"\n");
}

TEST(YamlWriter, DoublesAlwaysHaveAFraction) {
  EXPECT_EQ(FormatDouble(1), "1.0");
  EXPECT_EQ(FormatDouble(0), "0.0");
  EXPECT_EQ(FormatDouble(0.25), "0.25");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(12.5), "12.5");
}

// Whatever the strings look like, a YAML reader gets back the same strings,
// numbers and bools: quoted scalars are strings, plain ones resolve as before.
TEST(YamlWriter, ReadsBackWithTheSameTypes) {
  Json doc = Json::object();
  const char* tricky[] = {"3000", "yes", "n", "null", "~", "1:30", "0440", "a: b", "x #y", "multi\nline\ttab",
                          "quote\"back\\slash", "caf\xc3\xa9", "", " leading", "trailing ", "- dash", "@at"};
  for (const char* s : tricky) doc["strings"].push_back(s);
  doc["int"] = 42;
  doc["bool"] = true;
  doc["float"] = 0.5;
  YAML::Node node = YAML::Load(WriteYaml(doc, false));
  ASSERT_EQ(node["strings"].size(), std::size(tricky));
  for (std::size_t i = 0; i < std::size(tricky); ++i) {
    EXPECT_EQ(node["strings"][i].as<std::string>(), tricky[i]);
    EXPECT_EQ(node["strings"][i].Tag(), "!") << tricky[i] << " was written plain";
  }
  EXPECT_EQ(node["int"].as<int>(), 42);
  EXPECT_EQ(node["int"].Tag(), "?");
  EXPECT_TRUE(node["bool"].as<bool>());
  EXPECT_DOUBLE_EQ(node["float"].as<double>(), 0.5);
}

TEST(YamlWriter, EndsWithOneNewline) {
  EXPECT_EQ(WriteYaml(Json::object()), "{}\n");
  EXPECT_EQ(WriteYaml(Json{{"a", "b"}}), "a: b\n");
}

TEST(YamlWriter, AMarkRecordsWhereOneScalarWasWritten) {
  emit::Json entry = emit::Json::object();
  entry["labels"] = emit::Json{{"a", "x"}, {"nest.spec-hash", ""}, {"z", "w"}};
  YamlMark mark{&entry["labels"]["nest.spec-hash"]};
  std::string out = "services:\n";
  AppendYamlEntry(out, "web", entry, 2, true, &mark);
  EXPECT_EQ(out, "services:\n  web:\n    labels:\n      a: x\n      nest.spec-hash: \"\"\n      z: w\n");
  EXPECT_EQ(out.substr(mark.begin, mark.end - mark.begin), "\"\"");
  out.replace(mark.begin, mark.end - mark.begin, YamlScalar("a18de218b07e"));
  EXPECT_NE(out.find("      nest.spec-hash: a18de218b07e\n      z: w\n"), std::string::npos) << out;
}

TEST(YamlWriter, ScalarsAreWrittenAsInADocument) {
  EXPECT_EQ(YamlScalar("a18de218b07e"), "a18de218b07e");
  EXPECT_EQ(YamlScalar("525fa7211804"), "\"525fa7211804\"");
  EXPECT_EQ(YamlScalar("echo $HOME"), "\"echo $$HOME\"");
  EXPECT_EQ(YamlScalar("echo $HOME", /*compose_escapes=*/false), "\"echo $HOME\"");
}

}  // namespace
}  // namespace nest
