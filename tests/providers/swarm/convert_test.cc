// convert: compose keys -> ServiceSpec fields as docker/cli's convert does
// (docker-engine-facts §6). The engine tests check the whole against what
// `docker stack deploy` really creates; these pin the rules one by one.
#include "providers/swarm/convert.h"

#include <gtest/gtest.h>

namespace nest::swarm {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

json OnlyService(const std::string& service_json, const std::string& rest = "") {
  ordered_json doc = ordered_json::parse(R"({"services":{"app":)" + service_json + "}" + rest + "}");
  StackSpecs specs = ConvertComposeDocument(doc, "shop");
  EXPECT_EQ(specs.services.size(), 1u);
  return specs.services.empty() ? json() : specs.services[0];
}

TEST(ConvertTest, NamesLabelsAndDefaultNetwork) {
  ordered_json doc = ordered_json::parse(R"({"services":{"app":{"image":"redis:7","deploy":{"labels":{"a":"1"}}}}})");
  StackSpecs specs = ConvertComposeDocument(doc, "shop");
  ASSERT_EQ(specs.services.size(), 1u);
  const json& s = specs.services[0];
  EXPECT_EQ(s["Name"], "shop_app");
  EXPECT_EQ(s["Labels"], json::parse(R"({"a":"1","com.docker.stack.image":"redis:7","com.docker.stack.namespace":"shop"})"));
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["Labels"], json::parse(R"({"com.docker.stack.namespace":"shop"})"));
  EXPECT_EQ(s["TaskTemplate"]["Networks"], json::parse(R"([{"Target":"shop_default","Aliases":["app"]}])"));
  ASSERT_EQ(specs.networks.size(), 1u);
  EXPECT_EQ(specs.networks[0]["Name"], "shop_default");
  EXPECT_EQ(specs.networks[0]["Driver"], "overlay");
  EXPECT_EQ(s["Mode"], json::parse(R"({"Replicated":{}})"));
}

TEST(ConvertTest, AliasesNetworksAndExternalNames) {
  json s = OnlyService(R"({"image":"x","networks":{"b":{"aliases":["api"]},"a":null,"proxy":{}}})",
                       R"(,"networks":{"a":{},"b":{},"proxy":{"external":true,"name":"traefik-public"}})");
  EXPECT_EQ(s["TaskTemplate"]["Networks"], json::parse(R"([
    {"Target":"shop_a","Aliases":["app"]},{"Target":"shop_b","Aliases":["api","app"]},
    {"Target":"traefik-public","Aliases":["app"]}])"));
}

TEST(ConvertTest, EnvironmentIsSortedAndCommandsSplit) {
  json s = OnlyService(R"({"image":"x","environment":{"B":"2","A":"1","C":null},"command":"sh -c 'echo hi there'",
                           "entrypoint":["/init"]})");
  const json& c = s["TaskTemplate"]["ContainerSpec"];
  EXPECT_EQ(c["Env"], json::parse(R"(["A=1","B=2","C"])"));
  EXPECT_EQ(c["Args"], json::parse(R"(["sh","-c","echo hi there"])"));
  EXPECT_EQ(c["Command"], json::parse(R"(["/init"])"));
}

TEST(ConvertTest, SecretsDefaultToRootAndMode0444) {
  json s = OnlyService(R"({"image":"x","secrets":["pw",{"source":"key","target":"k","mode":256,"uid":"999"}]})",
                       R"(,"secrets":{"pw":{"file":"./pw.txt","name":"shop_pw_abc"},"key":{"file":"./k"}})");
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["Secrets"], json::parse(R"([
    {"File":{"Name":"k","UID":"999","GID":"0","Mode":256},"SecretName":"shop_key"},
    {"File":{"Name":"pw","UID":"0","GID":"0","Mode":292},"SecretName":"shop_pw_abc"}])"));
}

TEST(ConvertTest, DeployKeys) {
  json s = OnlyService(R"({"image":"x","deploy":{"mode":"global","endpoint_mode":"DNSRR",
      "update_config":{"delay":"10s"},"resources":{"limits":{"cpus":"0.25","memory":"512M"}},
      "restart_policy":{"condition":"on-failure","max_attempts":3}},
      "ports":["8080:80","53/udp",{"target":9000,"published":19000,"mode":"host"}],
      "stop_grace_period":"1m30s","healthcheck":{"test":"wget -q localhost","interval":"30s"}})");
  EXPECT_EQ(s["Mode"], json::parse(R"({"Global":{}})"));
  EXPECT_EQ(s["UpdateConfig"]["Parallelism"], 1);
  EXPECT_EQ(s["UpdateConfig"]["Delay"], 10000000000LL);
  EXPECT_EQ(s["EndpointSpec"]["Mode"], "dnsrr");
  EXPECT_EQ(s["EndpointSpec"]["Ports"], json::parse(R"([
    {"Protocol":"udp","TargetPort":53,"PublishMode":"ingress"},
    {"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"},
    {"Protocol":"","TargetPort":9000,"PublishedPort":19000,"PublishMode":"host"}])"));
  EXPECT_EQ(s["TaskTemplate"]["Resources"]["Limits"], json::parse(R"({"NanoCPUs":250000000,"MemoryBytes":536870912})"));
  EXPECT_EQ(s["TaskTemplate"]["RestartPolicy"], json::parse(R"({"Condition":"on-failure","MaxAttempts":3})"));
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["StopGracePeriod"], 90000000000LL);
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Test"], json::parse(R"(["CMD-SHELL","wget -q localhost"])"));
}

TEST(ConvertTest, LegacyRestartAndCapabilities) {
  json s = OnlyService(R"({"image":"x","restart":"unless-stopped","cap_add":["net_admin","ALL"],"cap_drop":["chown"]})");
  EXPECT_EQ(s["TaskTemplate"]["RestartPolicy"], json::parse(R"({"Condition":"any"})"));
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["CapabilityAdd"], json::parse(R"(["ALL"])"));
  EXPECT_EQ(s["TaskTemplate"]["ContainerSpec"]["CapabilityDrop"], json::parse(R"(["CAP_CHOWN"])"));
}

TEST(ConvertTest, VolumesShortAndLong) {
  ordered_json doc = ordered_json::parse(R"({"services":{"app":{"image":"x",
      "volumes":["data:/data:ro","/host:/h","/anon",{"type":"tmpfs","target":"/t","tmpfs":{"size":"1m"}}]}},
      "volumes":{"data":{"driver":"local","labels":{"l":"1"}}}})");
  StackSpecs specs = ConvertComposeDocument(doc, "shop");
  const json& mounts = specs.services[0]["TaskTemplate"]["ContainerSpec"]["Mounts"];
  EXPECT_EQ(mounts[0], json::parse(R"({"Type":"volume","Source":"shop_data","Target":"/data","ReadOnly":true,
    "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"shop","l":"1"},"DriverConfig":{"Name":"local"}}})"));
  EXPECT_EQ(mounts[1], json::parse(R"({"Type":"bind","Source":"/host","Target":"/h"})"));
  EXPECT_EQ(mounts[2], json::parse(R"({"Type":"volume","Target":"/anon"})"));
  EXPECT_EQ(mounts[3], json::parse(R"({"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576}})"));
  ASSERT_EQ(specs.volumes.size(), 1u);
  EXPECT_EQ(specs.volumes[0]["Name"], "shop_data");
}

TEST(ConvertTest, ExtraHostsAndDnsAsDockerCliWritesThem) {
  // The list keeps its order and splits at the first colon; a map is sorted by host.
  json list = OnlyService(R"({"image":"x","extra_hosts":["zz:10.0.0.9","db:10.0.0.5","v6:::1"],
                              "dns":"10.0.0.2","dns_search":["a.example","b.example"]})");
  const json& c = list["TaskTemplate"]["ContainerSpec"];
  EXPECT_EQ(c["Hosts"], json::parse(R"(["10.0.0.9 zz","10.0.0.5 db","::1 v6"])"));
  EXPECT_EQ(c["DNSConfig"], json::parse(R"({"Nameservers":["10.0.0.2"],"Search":["a.example","b.example"]})"));
  json map = OnlyService(R"({"image":"x","extra_hosts":{"zz":"10.0.0.9","gw":"host-gateway"},"dns_search":"corp"})");
  EXPECT_EQ(map["TaskTemplate"]["ContainerSpec"]["Hosts"], json::parse(R"(["host-gateway gw","10.0.0.9 zz"])"));
  EXPECT_EQ(map["TaskTemplate"]["ContainerSpec"]["DNSConfig"], json::parse(R"({"Search":["corp"]})"));
  json none = OnlyService(R"({"image":"x"})");
  EXPECT_FALSE(none["TaskTemplate"]["ContainerSpec"].contains("Hosts"));
  EXPECT_FALSE(none["TaskTemplate"]["ContainerSpec"].contains("DNSConfig"));
}

TEST(ConvertTest, EveryDeclaredObjectAndWarnings) {
  ordered_json doc = ordered_json::parse(R"({"services":{"app":{"image":"x","networks":["a"],"privileged":true}},
      "networks":{"a":{},"unused":{"internal":true}},
      "configs":{"c":{"file":"./c.txt","name":"shop_c_123"}},"secrets":{"ext":{"external":true,"name":"e"}}})");
  StackSpecs specs = ConvertComposeDocument(doc, "shop");
  ASSERT_EQ(specs.networks.size(), 2u);
  EXPECT_EQ(specs.networks[1]["Name"], "shop_unused");
  EXPECT_EQ(specs.networks[1]["Internal"], true);
  ASSERT_EQ(specs.configs.size(), 1u);
  EXPECT_EQ(specs.configs[0].spec["Name"], "shop_c_123");
  EXPECT_EQ(specs.configs[0].file, "./c.txt");
  EXPECT_FALSE(specs.configs[0].spec.contains("Data"));
  EXPECT_TRUE(specs.secrets.empty());
  ASSERT_EQ(specs.warnings.size(), 1u);
  EXPECT_NE(specs.warnings[0].find("privileged"), std::string::npos);
}

// A document built for the Engine API (EmitOptions::engine_settings) has
// what docker stack deploy's schema refuses: they go on into the specs.
TEST(ConvertTest, GatewayRangeAndInlineContentOfAnEngineDocument) {
  ordered_json doc = ordered_json::parse(R"({"networks":{"n":{"ipam":{"config":[
      {"subnet":"10.1.0.0/16","gateway":"10.1.0.254","ip_range":"10.1.2.0/24"}]}},"plain":{"ipam":{"config":[
      {"subnet":"10.2.0.0/16"}]}}},
      "configs":{"motd":{"content":"welcome\n","name":"shop_motd_0123456789"},"c":{"file":"./c.txt"}}})");
  StackSpecs specs = ConvertComposeDocument(doc, "shop");
  ASSERT_EQ(specs.networks.size(), 2u);
  EXPECT_EQ(specs.networks[0]["IPAM"]["Config"],
            json::parse(R"([{"Subnet":"10.1.0.0/16","Gateway":"10.1.0.254","IPRange":"10.1.2.0/24"}])"));
  EXPECT_EQ(specs.networks[1]["IPAM"]["Config"], json::parse(R"([{"Subnet":"10.2.0.0/16"}])"));
  ASSERT_EQ(specs.configs.size(), 2u);
  EXPECT_EQ(specs.configs[0].spec["Name"], "shop_motd_0123456789");
  EXPECT_EQ(specs.configs[0].content, std::optional<std::string>("welcome\n"));
  EXPECT_FALSE(specs.configs[0].spec.contains("Data"));  // apply adds it when it creates the config
  EXPECT_EQ(specs.configs[1].key, "c");
  EXPECT_FALSE(specs.configs[1].content.has_value());
}

}  // namespace
}  // namespace nest::swarm
