// The normaliser against the daemon's rewrites measured live
// (docker-engine-facts §4): each pair is what nest sends and what
// GET /services returns, and must normalise to the same attributes.
#include "providers/swarm/normalize.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/state_compare.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using test_support::ValueText;

NormalizeContext Context() {
  NormalizeContext context;
  context.stack = "shop";
  context.network_names = {{"jomhny0vu4gttr5efjyc3g2a4", "shop_back"}};
  return context;
}

std::string Attributes(const json& spec) {
  plan::ResourceState state = NormalizeService(spec, Context());
  std::string out;
  for (const auto& [name, value] : state.attributes) out += name + "=" + ValueText(value) + "\n";
  return out;
}

json Minimal() {
  return json::parse(R"({"Name":"shop_app","TaskTemplate":{"ContainerSpec":{"Image":"nest-test/busybox:1"}}})");
}

// `sent` as created, `stored` as GET returns it: the same attributes.
void ExpectSame(const json& sent, const json& stored) {
  EXPECT_EQ(Attributes(sent), Attributes(stored)) << "sent " << sent.dump() << "\nstored " << stored.dump();
}

json With(json spec, const json& patch) {
  spec.merge_patch(patch);
  return spec;
}

TEST(NormalizeServiceTest, DaemonDefaultsCompareEqualToNothing) {
  json stored = json::parse(R"({"Name":"shop_app","Labels":{},
    "TaskTemplate":{"ContainerSpec":{"Image":"nest-test/busybox:1","Isolation":"default","Init":false,
      "Privileges":{"CredentialSpec":null,"SELinuxContext":null},"DNSConfig":{}},
      "Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0,"Runtime":"container"},
    "Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":"vip"}})");
  ExpectSame(Minimal(), stored);
  EXPECT_EQ(Attributes(Minimal()), "image=\"nest-test/busybox:1\"\nreplicas=\"1\"\n");
}

TEST(NormalizeServiceTest, PoliciesWithDefaultsAreTheDefault) {
  ExpectSame(Minimal(), With(Minimal(), json::parse(R"({"TaskTemplate":{"RestartPolicy":{"Condition":"any","MaxAttempts":0}}})")));
  ExpectSame(Minimal(), With(Minimal(), json::parse(R"({"UpdateConfig":{"Parallelism":1,"FailureAction":"pause","MaxFailureRatio":0,"Order":"stop-first"}})")));
  ExpectSame(Minimal(), With(Minimal(), json::parse(R"({"RollbackConfig":{"Parallelism":1,"Monitor":5000000000}})")));
  ExpectSame(Minimal(), With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"StopGracePeriod":10000000000}}})")));
  ExpectSame(Minimal(), With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Healthcheck":{"Interval":0,"Retries":3}}}})")));
}

TEST(NormalizeServiceTest, AnEmptyUpdateConfigMeansAllAtOnce) {
  // {} is stored as Parallelism 0: every task at once, not the default 1.
  std::string text = Attributes(With(Minimal(), json::parse(R"({"UpdateConfig":{}})")));
  EXPECT_NE(text.find("update_config={parallelism: \"0\"}"), std::string::npos) << text;
}

TEST(NormalizeServiceTest, RestartDelayZeroIsNotTheDefault) {
  std::string text = Attributes(With(Minimal(), json::parse(R"({"TaskTemplate":{"RestartPolicy":{"Condition":"any","Delay":0}}})")));
  EXPECT_NE(text.find("restart_policy={delay: \"0s\"}"), std::string::npos) << text;
}

TEST(NormalizeServiceTest, StoredRewritesAreUndone) {
  json sent = With(Minimal(), json::parse(R"({
    "TaskTemplate":{"Networks":[{"Target":"shop_back","Aliases":["app"]}],
      "ContainerSpec":{"Secrets":[{"File":{"Name":"pw","UID":"0","GID":"0","Mode":292},"SecretName":"shop_pw_1"}]}},
    "EndpointSpec":{"Ports":[{"TargetPort":8080,"PublishedPort":18191}]}})"));
  json stored = With(Minimal(), json::parse(R"({
    "TaskTemplate":{"Networks":[{"Target":"jomhny0vu4gttr5efjyc3g2a4","Aliases":["app"]}],
      "ContainerSpec":{"Secrets":[{"File":{"Name":"pw","UID":"","GID":"","Mode":292},"SecretID":"x1","SecretName":"shop_pw_1"}]}},
    "EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":8080,"PublishedPort":18191,"PublishMode":"ingress"}]}})"));
  ExpectSame(sent, stored);
  EXPECT_NE(Attributes(stored).find("networks={shop_back: {aliases: [\"app\"]}}"), std::string::npos);
}

TEST(NormalizeServiceTest, OrderWithoutMeaningIsSorted) {
  json a = With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Env":["B=2","A=1"],
      "CapabilityAdd":["net_admin","CAP_CHOWN"],
      "Mounts":[{"Type":"tmpfs","Target":"/b"},{"Type":"tmpfs","Target":"/a"}]},
      "Placement":{"Constraints":["node.role == manager","node.labels.x==1"]}}})"));
  json b = With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Env":["A=1","B=2"],
      "CapabilityAdd":["CAP_CHOWN","CAP_NET_ADMIN"],
      "Mounts":[{"Type":"tmpfs","Target":"/a"},{"Type":"tmpfs","Target":"/b"}]},
      "Placement":{"Constraints":["node.labels.x==1","node.role==manager"]}}})"));
  ExpectSame(a, b);
}

TEST(NormalizeServiceTest, ThingsThatMatterDiffer) {
  EXPECT_NE(Attributes(With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Init":true}}})"))),
            Attributes(Minimal()));
  EXPECT_NE(Attributes(With(Minimal(), json::parse(R"({"Mode":{"Replicated":{"Replicas":2}}})"))), Attributes(Minimal()));
  EXPECT_NE(Attributes(With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Env":["A=1"]}}})"))),
            Attributes(With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Env":["A=2"]}}})"))));
  plan::ResourceState global = NormalizeService(With(Minimal(), json::parse(R"({"Mode":{"Global":{}}})")), Context());
  EXPECT_EQ(global.attributes.at("mode").scalar, "global");
  EXPECT_EQ(global.attributes.count("replicas"), 0u);
  EXPECT_EQ(global.force_new, std::vector<std::string>{"mode"});
}

TEST(NormalizeServiceTest, HostsAndDnsConfigAreCompared) {
  json sent = With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{
      "Hosts":["10.0.0.5 db","::1 v6"],"DNSConfig":{"Nameservers":["10.0.0.2"],"Search":["corp"]}}}})"));
  std::string text = Attributes(sent);
  EXPECT_NE(text.find("extra_hosts=[\"10.0.0.5 db\", \"::1 v6\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("dns={nameservers: [\"10.0.0.2\"], search: [\"corp\"]}"), std::string::npos) << text;
  // Options set by hand (`docker service update --dns-option-add`) are a change.
  json with_options = With(sent, json::parse(R"({"TaskTemplate":{"ContainerSpec":{"DNSConfig":{"Options":["ndots:2"]}}}})"));
  EXPECT_NE(Attributes(with_options), text);
  // A host added by hand is a change, and so is the order of the entries (/etc/hosts is read in order).
  EXPECT_NE(Attributes(With(sent, json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Hosts":["::1 v6","10.0.0.5 db"]}}})"))), text);
}

TEST(NormalizeServiceTest, PinnedImageReadsAsTheLabelledReference) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  json pinned = With(Minimal(), json::parse(R"({"Labels":{"com.docker.stack.image":"redis:7"},
    "TaskTemplate":{"ContainerSpec":{"Image":"redis:7@)" + digest + R"("}}})"));
  EXPECT_EQ(NormalizeService(pinned, Context()).attributes.at("image").scalar, "redis:7");
  json other = With(pinned, json::parse(R"({"Labels":{"com.docker.stack.image":"redis:6"}})"));
  EXPECT_EQ(NormalizeService(other, Context()).attributes.at("image").scalar, "redis:7@" + digest);
}

// The issue-15 case: docker stack deploy wrote "someorg/worker:latest" for a
// file that said "someorg/worker"; both sides read "someorg/worker:latest".
TEST(NormalizeServiceTest, ImagesAreComparedInTheFamiliarFormWithTheirTag) {
  json live = With(Minimal(), json::parse(R"({"Labels":{"com.docker.stack.image":"someorg/worker"},
    "TaskTemplate":{"ContainerSpec":{"Image":"someorg/worker:latest"}}})"));
  json desired = With(Minimal(), json::parse(R"({"Labels":{"com.docker.stack.image":"docker.io/someorg/worker"},
    "TaskTemplate":{"ContainerSpec":{"Image":"docker.io/someorg/worker"}}})"));
  EXPECT_EQ(NormalizeService(live, Context()).attributes.at("image").scalar, "someorg/worker:latest");
  EXPECT_EQ(NormalizeService(live, Context()).attributes, NormalizeService(desired, Context()).attributes);
}

TEST(NormalizeServiceTest, AnInvalidImageIsAProblemNotACrash) {
  json spec = With(Minimal(), json::parse(R"({"TaskTemplate":{"ContainerSpec":{"Image":"someorg/Worker"}}})"));
  plan::ResourceState state = NormalizeService(spec, Context());
  EXPECT_EQ(state.attributes.at("image").scalar, "someorg/Worker");
  ASSERT_EQ(state.problems.size(), 1u);
  EXPECT_EQ(state.problems[0],
            "image `someorg/Worker`: invalid reference format: repository name (someorg/Worker) must be lowercase");
}

TEST(NormalizeServiceTest, BookkeepingLabelsAreReadNotCompared) {
  json spec = With(Minimal(), json::parse(R"({"Labels":{"com.docker.stack.namespace":"shop",
    "com.docker.stack.image":"x","nest.address":"module.db.service.postgres","nest.spec-hash":"abc",
    "nest.autoscale.min":"2","team":"a"},
    "TaskTemplate":{"ContainerSpec":{"Labels":{"com.docker.stack.namespace":"shop","c":"1"}}}})"));
  plan::ResourceState state = NormalizeService(spec, Context());
  EXPECT_EQ(state.address, "module.db.service.postgres");
  EXPECT_TRUE(state.managed);
  EXPECT_TRUE(state.stack_label);
  EXPECT_EQ(state.spec_hash, "abc");
  EXPECT_EQ(ValueText(state.attributes.at("labels")), "{nest.autoscale.min: \"2\", team: \"a\"}");
  EXPECT_EQ(ValueText(state.attributes.at("container_labels")), "{c: \"1\"}");

  plan::ResourceState bare = NormalizeService(Minimal(), Context());
  EXPECT_EQ(bare.address, "service.app");
  EXPECT_FALSE(bare.managed);
  EXPECT_FALSE(bare.stack_label);
}

TEST(NormalizeNetworkTest, AllocatedSubnetsAndDaemonOptionsAreDropped) {
  json created = json::parse(R"({"Name":"shop_back","Driver":"overlay","Labels":{"com.docker.stack.namespace":"shop"}})");
  json listed = json::parse(R"({"Name":"shop_back","Id":"abc","Driver":"overlay","Scope":"swarm","EnableIPv6":false,
    "IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"10.0.7.0/24","Gateway":"10.0.7.1"}]},
    "Internal":false,"Attachable":false,"Ingress":false,
    "Options":{"com.docker.network.driver.overlay.vxlanid_list":"4097"},
    "Labels":{"com.docker.stack.namespace":"shop"}})");
  auto a = NormalizeNetwork(created, Context());
  auto b = NormalizeNetwork(listed, Context());
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.address, "network.back");

  json chosen = listed;
  chosen["IPAM"]["Config"][0] = {{"Subnet", "172.30.1.0/24"}, {"Gateway", "172.30.1.1"}};
  auto c = NormalizeNetwork(chosen, Context());
  EXPECT_EQ(c.attributes.at("subnet").scalar, "172.30.1.0/24");
  EXPECT_EQ(c.attributes.count("gateway"), 0u);  // the subnet's first host is Docker's own choice
  // A gateway or range of one's own is compared, with its subnet, also in
  // the default pool.
  json own = listed;
  own["IPAM"]["Config"][0] = {{"Subnet", "10.0.7.0/24"}, {"Gateway", "10.0.7.254"}, {"IPRange", "10.0.7.128/25"}};
  auto d = NormalizeNetwork(own, Context());
  EXPECT_EQ(d.attributes.at("subnet").scalar, "10.0.7.0/24");
  EXPECT_EQ(d.attributes.at("gateway").scalar, "10.0.7.254");
  EXPECT_EQ(d.attributes.at("ip_range").scalar, "10.0.7.128/25");
  own["IPAM"]["Config"][0].erase("IPRange");
  EXPECT_EQ(NormalizeNetwork(own, Context()).attributes.at("gateway").scalar, "10.0.7.254");
  json encrypted = created;
  encrypted["Options"] = {{"encrypted", ""}};
  EXPECT_EQ(NormalizeNetwork(encrypted, Context()).attributes.at("encrypted").scalar, "true");
  EXPECT_FALSE(a.force_new.empty());
}

TEST(NormalizeSecretTest, NameCarriesTheContentAndDataIsNeverRead) {
  json spec = json::parse(R"({"Name":"shop_pw_0a1b2c","Labels":{"nest.address":"secret.pw"},"Data":"c2VjcmV0"})");
  auto state = NormalizeSecret(spec, Context());
  EXPECT_EQ(state.address, "secret.pw");
  EXPECT_EQ(state.attributes.at("name").scalar, "shop_pw_0a1b2c");
  for (const auto& [name, value] : state.attributes) EXPECT_EQ(ValueText(value).find("c2VjcmV0"), std::string::npos);
  EXPECT_NE(std::find(state.force_new.begin(), state.force_new.end(), "name"), state.force_new.end());
}

TEST(NormalizeVolumeTest, CreateBodyAndListingAgree) {
  auto a = NormalizeVolume(json::parse(R"({"Name":"shop_data","Driver":"","DriverOpts":{"o":"x"},"Labels":{"nest.address":"volume.data"}})"), Context());
  auto b = NormalizeVolume(json::parse(R"({"Name":"shop_data","Driver":"local","Options":{"o":"x"},"Labels":{"nest.address":"volume.data"},"Scope":"local"})"), Context());
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.address, "volume.data");
}

TEST(NormalizeTest, AddressesAndCapabilities) {
  EXPECT_EQ(AddressFromName(ResourceKind::kService, "shop_app", "shop"), "service.app");
  EXPECT_EQ(AddressFromName(ResourceKind::kNetwork, "traefik-public", "shop"), "network.traefik-public");
  EXPECT_EQ(NormalizeCapability("net_admin"), "CAP_NET_ADMIN");
  EXPECT_EQ(NormalizeCapability("ALL"), "ALL");
  EXPECT_EQ(NormalizeCapability("CAP_CHOWN"), "CAP_CHOWN");
}

}  // namespace
}  // namespace nest::swarm
