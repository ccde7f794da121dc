// A blue-green service's colours: their labels, the spec edits of a switch,
// and how the live read (BuildLiveState) maps them onto the config's address.
#include "providers/swarm/blue_green_colours.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "providers/swarm/read.h"
#include "providers/swarm/timestamp.h"
#include "tests/support/state_compare.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using std::chrono::seconds;

json Spec(const std::string& name, json labels) {
  labels["com.docker.stack.namespace"] = "shop";
  labels["nest.address"] = "service.web";
  return {{"Name", name},
          {"Labels", labels},
          {"TaskTemplate",
           {{"ContainerSpec", {{"Image", "nest-test/busybox:1"}}},
            {"Networks", json::array({{{"Target", "shop_back"}, {"Aliases", json::array({"web"})}}})}}}};
}

std::string Time(std::chrono::system_clock::time_point time) {
  return FormatEngineTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(time));
}

TEST(BlueGreenColoursTest, ColoursAlternateBetweenTheNameAndGreen) {
  EXPECT_EQ(OtherColourName("shop_web", "shop_web"), "shop_web-green");
  EXPECT_EQ(OtherColourName("shop_web-green", "shop_web"), "shop_web");
}

TEST(BlueGreenColoursTest, TheProductionAliasIsTheShortName) {
  EXPECT_EQ(ProductionAlias(Spec("shop_web", json::object())), "web");
}

TEST(BlueGreenColoursTest, ReplaceAliasMovesTheNameOnEveryNetwork) {
  json spec = Spec("shop_web-green", json::object());
  EXPECT_TRUE(ReplaceAlias(spec, "web", "web-preview"));
  EXPECT_EQ(spec["TaskTemplate"]["Networks"][0]["Aliases"], json::array({"web-preview"}));
  EXPECT_FALSE(ReplaceAlias(spec, "web", "web-previous"));
}

TEST(BlueGreenColoursTest, RoutedMeansTraefikLabelsNotDisabled) {
  EXPECT_TRUE(IsRouted({{"traefik.enable", "true"}, {"traefik.http.routers.web.rule", "Host(`x`)"}}));
  EXPECT_FALSE(IsRouted({{"traefik.enable", "false"}}));
  EXPECT_FALSE(IsRouted({{"nest.deploy.strategy", "blue-green"}}));
}

TEST(BlueGreenColoursTest, LabelsRoundTrip) {
  json spec = Spec("shop_web", json::object());
  auto expires = std::chrono::system_clock::now() + seconds(30);
  SetColourLabels(spec, "shop_web", ColourRole::kPrevious, expires);
  Colour colour = ColourOf(spec["Labels"]);
  EXPECT_EQ(colour.role, ColourRole::kPrevious);
  EXPECT_EQ(colour.of, "shop_web");
  ASSERT_TRUE(colour.expires);
  EXPECT_LT(std::chrono::abs(*colour.expires - expires), std::chrono::microseconds(1));
  SetColourLabels(spec, "shop_web", ColourRole::kLive);
  EXPECT_FALSE(spec["Labels"].contains(kColourExpiresLabel));
  EXPECT_EQ(ColourOf(json::object()).role, ColourRole::kNone);
}

SwarmListing Listing(const std::vector<json>& specs, std::chrono::system_clock::time_point now) {
  SwarmListing listing;
  int id = 0;
  for (const auto& spec : specs) {
    listing.services.push_back({{"ID", std::to_string(++id)}, {"Version", {{"Index", 7}}}, {"Spec", spec}});
  }
  listing.read_at = now;
  return listing;
}

TEST(BlueGreenColoursTest, TheLiveGreenColourStandsForTheServiceAndTheKeptPreviousIsNoResource) {
  auto now = std::chrono::system_clock::now();
  json green = Spec("shop_web-green", {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "live"}});
  json blue = Spec("shop_web", {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "previous"},
                                {kColourExpiresLabel, Time(now + seconds(30))}});
  ReplaceAlias(blue, "web", "web-previous");
  plan::StackState state = BuildLiveState("shop", Listing({green, blue}, now));
  ASSERT_EQ(state.resources.size(), 1u) << test_support::DescribeState(state);
  const plan::ResourceState& web = state.resources[0];
  EXPECT_EQ(web.address, "service.web");
  EXPECT_EQ(web.docker_name, "shop_web");  // the config's name: no rename planned
  EXPECT_EQ(web.version->id, "1");         // updates and deletes go to the green colour
  EXPECT_TRUE(web.problems.empty());
  EXPECT_EQ(web.attributes.count("labels"), 0u);  // nest.bluegreen.* are bookkeeping, never compared
}

TEST(BlueGreenColoursTest, AnExpiredPreviousColourIsAResourceToDeleteSayingWhy) {
  auto now = std::chrono::system_clock::now();
  json green = Spec("shop_web-green", {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "live"}});
  json blue = Spec("shop_web", {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "previous"},
                                {kColourExpiresLabel, Time(now - seconds(1))}});
  plan::StackState state = BuildLiveState("shop", Listing({green, blue}, now));
  ASSERT_EQ(state.resources.size(), 2u) << test_support::DescribeState(state);
  const plan::ResourceState* previous = state.Find("service.web#previous");
  ASSERT_NE(previous, nullptr) << test_support::DescribeState(state);
  EXPECT_EQ(previous->docker_name, "shop_web");
  ASSERT_EQ(previous->problems.size(), 1u);
  EXPECT_NE(previous->problems[0].find("expired, so removed"), std::string::npos) << previous->problems[0];
  ASSERT_NE(state.Find("service.web"), nullptr);
  EXPECT_EQ(state.Find("service.web")->version->id, "1");
}

TEST(BlueGreenColoursTest, ALeftoverPreviewIsAResourceToDelete) {
  auto now = std::chrono::system_clock::now();
  json blue = Spec("shop_web", json::object());
  json green = Spec("shop_web-green", {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "preview"}});
  plan::StackState state = BuildLiveState("shop", Listing({blue, green}, now));
  ASSERT_NE(state.Find("service.web"), nullptr);
  EXPECT_EQ(state.Find("service.web")->version->id, "1");
  const plan::ResourceState* preview = state.Find("service.web#preview");
  ASSERT_NE(preview, nullptr) << test_support::DescribeState(state);
  EXPECT_EQ(preview->docker_name, "shop_web-green");
}

TEST(BlueGreenColoursTest, ARoutedLiveColourReadsWithItsProductionAlias) {
  auto now = std::chrono::system_clock::now();
  json green = Spec("shop_web-green",
                    {{kColourOfLabel, "shop_web"}, {kColourRoleLabel, "live"}, {"traefik.enable", "true"}});
  ReplaceAlias(green, "web", "web-preview");
  plan::StackState state = BuildLiveState("shop", Listing({green}, now));
  ASSERT_EQ(state.resources.size(), 1u);
  const auto& networks = state.resources[0].attributes.at("networks").map;
  ASSERT_EQ(networks.count("shop_back"), 1u);
  EXPECT_EQ(networks.at("shop_back").map.at("aliases").list.at(0).scalar, "web");
}

}  // namespace
}  // namespace nest::swarm
