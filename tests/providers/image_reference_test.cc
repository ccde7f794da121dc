// Image references read as the Docker CLI reads them (distribution's
// ParseNormalizedNamed, TagNameOnly, FamiliarString), and the form both sides
// of a plan compare (CompareForm).
#include "providers/image_reference.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nest::providers {
namespace {

const std::string kDigest = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
const std::string kOtherDigest = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

struct Normalized {
  std::string input;
  std::string canonical;  // ParseNormalizedNamed(input).String()
  std::string domain;
  std::string path;
  std::string familiar;   // FamiliarString(TagNameOnly(...)): what the CLI sends, what nest compares
};

TEST(ImageReferenceTest, NormalizesEveryFormLikeTheDockerCli) {
  const std::vector<Normalized> cases = {
      // Official images: docker.io and the library/ namespace are implied.
      {"busybox", "docker.io/library/busybox", "docker.io", "library/busybox", "busybox:latest"},
      {"busybox:1.36", "docker.io/library/busybox:1.36", "docker.io", "library/busybox", "busybox:1.36"},
      {"library/busybox", "docker.io/library/busybox", "docker.io", "library/busybox", "busybox:latest"},
      {"docker.io/busybox", "docker.io/library/busybox", "docker.io", "library/busybox", "busybox:latest"},
      {"docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "docker.io", "library/busybox",
       "busybox:latest"},
      {"index.docker.io/library/busybox", "docker.io/library/busybox", "docker.io", "library/busybox",
       "busybox:latest"},
      {"index.docker.io/busybox:1", "docker.io/library/busybox:1", "docker.io", "library/busybox", "busybox:1"},
      // Hub user images: no library/.
      {"someorg/worker", "docker.io/someorg/worker", "docker.io", "someorg/worker", "someorg/worker:latest"},
      {"docker.io/someorg/worker:2", "docker.io/someorg/worker:2", "docker.io", "someorg/worker", "someorg/worker:2"},
      {"index.docker.io/someorg/worker", "docker.io/someorg/worker", "docker.io", "someorg/worker",
       "someorg/worker:latest"},
      // library/ is dropped only from a one-element official name.
      {"library/a/b", "docker.io/library/a/b", "docker.io", "library/a/b", "library/a/b:latest"},
      {"other/library", "docker.io/other/library", "docker.io", "other/library", "other/library:latest"},
      // Registries: a first element with "." or ":", or localhost, or upper case.
      {"localhost/x", "localhost/x", "localhost", "x", "localhost/x:latest"},
      {"localhost:5000/x", "localhost:5000/x", "localhost:5000", "x", "localhost:5000/x:latest"},
      {"localhost:5000/team/x:1.2", "localhost:5000/team/x:1.2", "localhost:5000", "team/x", "localhost:5000/team/x:1.2"},
      {"registry.example.com/shop/web:2.4.1", "registry.example.com/shop/web:2.4.1", "registry.example.com", "shop/web",
       "registry.example.com/shop/web:2.4.1"},
      {"127.0.0.1:5000/debian", "127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", "127.0.0.1:5000/debian:latest"},
      {"[fc00::1]:5000/docker/docker", "[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker",
       "[fc00::1]:5000/docker/docker:latest"},
      {"xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "xn--n3h.com:18080/foo:latest"},
      {"test-com:8080/foo", "test-com:8080/foo", "test-com:8080", "foo", "test-com:8080/foo:latest"},
      {"Foo/bar", "Foo/bar", "Foo", "bar", "Foo/bar:latest"},
      {"gcr.io/cadvisor/cadvisor:v0.49.1", "gcr.io/cadvisor/cadvisor:v0.49.1", "gcr.io", "cadvisor/cadvisor",
       "gcr.io/cadvisor/cadvisor:v0.49.1"},
      // Not registries: no "." or ":" and lower case.
      {"test_com/foo", "docker.io/test_com/foo", "docker.io", "test_com/foo", "test_com/foo:latest"},
      // A single element is an official image, whatever it looks like.
      {"localhost:5000", "docker.io/library/localhost:5000", "docker.io", "library/localhost", "localhost:5000"},
      {"192.168.0.1:80", "docker.io/library/192.168.0.1:80", "docker.io", "library/192.168.0.1", "192.168.0.1:80"},
      // Separators: one ".", one or two "_", any number of "-".
      {"dock__er/docker---rules", "docker.io/dock__er/docker---rules", "docker.io", "dock__er/docker---rules",
       "dock__er/docker---rules:latest"},
      // 64 hex characters are a name once a registry makes them one.
      {"docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
       "docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "docker.io",
       "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
       "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest"},
      // Tags keep their case; \w, "." and "-".
      {"nginx:1.27-Alpine_x", "docker.io/library/nginx:1.27-Alpine_x", "docker.io", "library/nginx",
       "nginx:1.27-Alpine_x"},
      // Digests: TagNameOnly adds no tag to a digested reference.
      {"busybox@" + kDigest, "docker.io/library/busybox@" + kDigest, "docker.io", "library/busybox",
       "busybox@" + kDigest},
      {"busybox:latest@" + kDigest, "docker.io/library/busybox:latest@" + kDigest, "docker.io", "library/busybox",
       "busybox:latest@" + kDigest},
      {"localhost:5000/x:1@" + kDigest, "localhost:5000/x:1@" + kDigest, "localhost:5000", "x",
       "localhost:5000/x:1@" + kDigest},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto parsed = ParseNormalizedNamed(c.input);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value().String(), c.canonical);
    EXPECT_EQ(parsed.value().domain, c.domain);
    EXPECT_EQ(parsed.value().path, c.path);
    EXPECT_EQ(FamiliarString(TagNameOnly(parsed.value())), c.familiar);
    // The familiar form reads back as the same reference.
    auto again = ParseNormalizedNamed(c.familiar);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again.value(), TagNameOnly(parsed.value()));
  }
}

struct Invalid {
  std::string input;
  std::string message;
};

TEST(ImageReferenceTest, InvalidReferencesAreErrorsWithTheLibrarysMessage) {
  const std::string long_namespace(256, 'a');
  const std::vector<Invalid> cases = {
      {"", "invalid reference format"},
      {"docker/Docker", "invalid reference format: repository name (docker/Docker) must be lowercase"},
      {"Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase"},
      {"localhost:5000/Foo:1", "invalid reference format: repository name (Foo) must be lowercase"},
      {"1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
       "invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify "
       "64-byte hexadecimal strings"},
      {"https://github.com/docker/docker", "invalid reference format"},
      {"-docker", "invalid reference format"},
      {"-docker.io/docker/docker", "invalid reference format"},
      {"docker-/docker", "invalid reference format"},
      {"docker///docker", "invalid reference format"},
      {"docker/", "invalid reference format"},
      {"dock..er/docker", "invalid reference format"},
      {"dock_.er/docker", "invalid reference format"},
      {"____/____", "invalid reference format"},
      {"a___b", "invalid reference format"},
      {"[fc00::1]", "invalid reference format"},
      {"[fc00::1]:5000", "invalid reference format"},
      {"fc00::1:5000/debian", "invalid reference format"},
      {"[fe80::1%eth0]:5000/debian", "invalid reference format"},
      {"[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid reference format"},
      {"my_registry:5000/x", "invalid reference format"},
      {"localhost:port/x", "invalid reference format"},
      {"nginx:", "invalid reference format"},
      {"nginx:-1", "invalid reference format"},
      {"nginx:" + std::string(129, 't'), "invalid reference format"},
      {"nginx@", "invalid reference format"},
      {"nginx@sha256:abc", "invalid reference format"},  // fewer than 32 hex digits
      {"nginx@sha256:" + std::string(63, 'a'), "invalid checksum digest length"},
      {"nginx@sha256:" + std::string(64, 'A'), "invalid checksum digest format"},
      {"nginx@md5:" + std::string(32, 'a'), "unsupported digest algorithm"},
      // Everything before the first ":" after the registry must be lower case,
      // so an upper-case algorithm fails that check first.
      {"nginx@MD5:" + std::string(32, 'a'),
       "invalid reference format: repository name (library/nginx@MD5) must be lowercase"},
      {"nginx latest", "invalid reference format"},
      {long_namespace + "/docker", "repository name must not be more than 255 characters"},
      {"Foo/Bar", "invalid reference format: repository name (Bar) must be lowercase"},
      // Not a registry ("_"), and a valid name once lower-cased.
      {"A_B.com/x", "repository name must be lowercase"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto parsed = ParseNormalizedNamed(c.input);
    ASSERT_FALSE(parsed.ok()) << parsed.value().String();
    EXPECT_EQ(parsed.error().message, c.message);
  }
}

TEST(ImageReferenceTest, ExtremeInputsNeverCrash) {
  for (const std::string& text : {std::string(100000, 'a'), std::string(100000, '/'), std::string(100000, ':'),
                                  std::string(100000, '@'), "a/" + std::string(100000, '-') + "b",
                                  std::string("\0\xff\x80", 3)}) {
    auto parsed = ParseNormalizedNamed(text);
    EXPECT_FALSE(parsed.ok());
    EXPECT_FALSE(CompareForm(text, std::nullopt).problem.empty());
  }
}

struct Comparison {
  std::string desired;  // as written in the config: also its own com.docker.stack.image label
  std::string live;     // ContainerSpec.Image
  std::optional<std::string> live_label;  // com.docker.stack.image on the live service
  bool same;
};

TEST(ImageReferenceTest, BothSidesCompareTheSameTextExactlyWhenDockerRunsTheSameImage) {
  const std::vector<Comparison> cases = {
      // The issue: docker stack deploy --resolve-image never adds :latest.
      {"someorg/worker", "someorg/worker:latest", "someorg/worker", true},
      {"docker.io/library/busybox", "busybox:latest", "docker.io/library/busybox", true},
      {"busybox", "docker.io/library/busybox:latest", std::nullopt, true},
      {"index.docker.io/someorg/worker:2", "someorg/worker:2", "index.docker.io/someorg/worker:2", true},
      {"localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x", true},
      // --resolve-image always: the digest Docker added is not the user's.
      {"someorg/worker", "someorg/worker:latest@" + kDigest, "someorg/worker", true},
      {"someorg/worker", "someorg/worker@" + kDigest, "someorg/worker", true},
      {"nginx:1.27", "nginx:1.27@" + kDigest, "nginx:1.27", true},
      {"nginx:1.27", "nginx:1.27@" + kDigest, std::nullopt, true},  // `docker service create` resolves too
      // A pinned digest is compared.
      {"nginx:1.27@" + kDigest, "nginx:1.27@" + kDigest, "nginx:1.27@" + kDigest, true},
      {"nginx@" + kDigest, "docker.io/library/nginx@" + kDigest, "nginx@" + kDigest, true},
      {"nginx:1.27@" + kDigest, "nginx:1.27@" + kOtherDigest, "nginx:1.27@" + kOtherDigest, false},
      {"nginx:1.27@" + kDigest, "nginx:1.27", "nginx:1.27", false},
      {"nginx@" + kDigest, "nginx@" + kOtherDigest, std::nullopt, false},
      // Someone changed the image by hand: the label still names the old one.
      {"nginx:1.27", "nginx:1.28@" + kDigest, "nginx:1.27", false},
      {"nginx:1.27", "nginx@" + kDigest, "nginx:1.27", false},
      {"nginx:1.27", "nginx:1.28", "nginx:1.27", false},
      // Different images stay different.
      {"someorg/worker", "someorg/worker:2", "someorg/worker", false},
      {"busybox", "library/busybox:1", std::nullopt, false},
      {"localhost:5000/x", "localhost:5001/x", std::nullopt, false},
      {"someorg/worker", "otherorg/worker", std::nullopt, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.desired + " vs " + c.live);
    ComparableImage desired = CompareForm(c.desired, c.desired);
    ComparableImage live = CompareForm(c.live, c.live_label ? std::optional<std::string_view>(*c.live_label)
                                                            : std::nullopt);
    EXPECT_TRUE(desired.problem.empty()) << desired.problem;
    EXPECT_TRUE(live.problem.empty()) << live.problem;
    EXPECT_EQ(desired.text == live.text, c.same) << desired.text << " / " << live.text;
  }
}

TEST(ImageReferenceTest, ComparedTextIsTheFamiliarFormTheUserRecognises) {
  EXPECT_EQ(CompareForm("someorg/worker", "someorg/worker").text, "someorg/worker:latest");
  EXPECT_EQ(CompareForm("docker.io/library/redis:7-alpine", std::nullopt).text, "redis:7-alpine");
  EXPECT_EQ(CompareForm("registry.example.com/shop/web:2.4.1", std::nullopt).text,
            "registry.example.com/shop/web:2.4.1");
  EXPECT_EQ(CompareForm("someorg/worker:latest@" + kDigest, "someorg/worker").text, "someorg/worker:latest");
  EXPECT_EQ(CompareForm("nginx@" + kDigest, "nginx@" + kDigest).text, "nginx@" + kDigest);
  EXPECT_EQ(CompareForm("", std::nullopt).text, "");
  EXPECT_EQ(CompareForm("", std::nullopt).problem, "");
}

TEST(ImageReferenceTest, AnInvalidImageIsKeptAsWrittenWithAProblem) {
  ComparableImage image = CompareForm("someorg/Worker", std::nullopt);
  EXPECT_EQ(image.text, "someorg/Worker");
  EXPECT_EQ(image.problem,
            "image `someorg/Worker`: invalid reference format: repository name (someorg/Worker) must be lowercase");
  // An unreadable label makes no digest Docker's.
  EXPECT_EQ(CompareForm("nginx:1@" + kDigest, "not a reference").text, "nginx:1@" + kDigest);
}

}  // namespace
}  // namespace nest::providers
