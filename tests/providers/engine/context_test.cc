#include "providers/engine/context.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

namespace fs = std::filesystem;

// A temporary HOME with a ~/.docker folder to write contexts into.
class ContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/nest-context-test-XXXXXX";
    home_ = ::mkdtemp(pattern);
    docker_ = fs::path(home_) / ".docker";
    fs::create_directories(docker_);
  }
  void TearDown() override { fs::remove_all(home_); }

  void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  void WriteConfig(const std::string& json) { Write(docker_ / "config.json", json); }
  void WriteMeta(const std::string& name, const std::string& json) {
    Write(docker_ / "contexts" / "meta" / ContextDirName(name) / "meta.json", json);
  }
  void WriteTls(const std::string& name, const std::string& file) {
    Write(docker_ / "contexts" / "tls" / ContextDirName(name) / "docker" / file, "pem");
  }
  std::string TlsDir(const std::string& name) {
    return (docker_ / "contexts" / "tls" / ContextDirName(name) / "docker").string();
  }
  Environment Env(Environment extra = {}) {
    extra["HOME"] = home_;
    return extra;
  }
  static std::string Meta(const std::string& name, const std::string& docker) {
    return R"({"Name":")" + name + R"(","Metadata":{},"Endpoints":{"docker":)" + docker + "}}";
  }

  std::string home_;
  fs::path docker_;
};

TEST_F(ContextTest, DirectoryNameIsSha256OfTheName) {
  EXPECT_EQ(ContextDirName("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Seen live: `docker context create research-ctx` made 16ceab10...870.
  std::string research = ContextDirName("research-ctx");
  EXPECT_TRUE(research.starts_with("16ceab10")) << research;
  EXPECT_TRUE(research.ends_with("870")) << research;
}

TEST_F(ContextTest, ConfigDirIsDockerConfigElseHome) {
  EXPECT_EQ(DockerConfigDir({{"HOME", "/home/u"}}), "/home/u/.docker");
  EXPECT_EQ(DockerConfigDir({{"HOME", "/home/u"}, {"DOCKER_CONFIG", "/etc/d"}}), "/etc/d");
  EXPECT_EQ(DockerConfigDir({}), "");
}

TEST_F(ContextTest, CurrentContextFromConfigJson) {
  WriteConfig(R"({"auths":{},"currentContext":"remote"})");
  WriteMeta("remote", Meta("remote", R"({"Host":"tcp://10.0.0.5:2375","SkipTLSVerify":false})"));
  Result<Endpoint> e = ResolveEndpoint(Env());
  ASSERT_TRUE(e.ok()) << e.error().Describe();
  EXPECT_EQ(e.value().Display(), "tcp://10.0.0.5:2375");
  EXPECT_EQ(e.value().context, "remote");
  EXPECT_FALSE(e.value().tls);
}

TEST_F(ContextTest, DockerContextBeatsCurrentContext) {
  WriteConfig(R"({"currentContext":"remote"})");
  WriteMeta("remote", Meta("remote", R"({"Host":"tcp://10.0.0.5:2375"})"));
  WriteMeta("local", Meta("local", R"({"Host":"unix:///run/docker.sock"})"));
  Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONTEXT", "local"}}));
  ASSERT_TRUE(e.ok()) << e.error().Describe();
  EXPECT_EQ(e.value().Display(), "unix:///run/docker.sock");
}

TEST_F(ContextTest, DockerHostBeatsDockerContext) {
  WriteMeta("remote", Meta("remote", R"({"Host":"tcp://10.0.0.5:2375"})"));
  Result<Endpoint> e =
      ResolveEndpoint(Env({{"DOCKER_CONTEXT", "remote"}, {"DOCKER_HOST", "unix:///x.sock"}}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value().Display(), "unix:///x.sock");
  EXPECT_EQ(e.value().context, "default");
}

TEST_F(ContextTest, DefaultContextIsTheEnvironment) {
  WriteConfig(R"({"currentContext":"default"})");
  EXPECT_EQ(ResolveEndpoint(Env()).value().Display(), "unix:///var/run/docker.sock");
  EXPECT_EQ(ResolveEndpoint(Env({{"DOCKER_CONTEXT", "default"}})).value().Display(),
            "unix:///var/run/docker.sock");
}

TEST_F(ContextTest, SkipTlsVerifyMeansTlsWithoutVerification) {
  WriteMeta("research-ctx",
            Meta("research-ctx", R"({"Host":"tcp://10.0.0.5","SkipTLSVerify":true})"));
  Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONTEXT", "research-ctx"}}));
  ASSERT_TRUE(e.ok()) << e.error().Describe();
  EXPECT_TRUE(e.value().tls);
  EXPECT_FALSE(e.value().tls_verify);
  EXPECT_EQ(e.value().BaseUrl(), "https://10.0.0.5:2376");
}

TEST_F(ContextTest, TlsFilesTurnOnVerifiedTls) {
  WriteMeta("secure", Meta("secure", R"({"Host":"tcp://h:2376"})"));
  for (const char* file : {"ca.pem", "cert.pem", "key.pem"}) WriteTls("secure", file);
  Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONTEXT", "secure"}}));
  ASSERT_TRUE(e.ok()) << e.error().Describe();
  EXPECT_TRUE(e.value().tls);
  EXPECT_TRUE(e.value().tls_verify);
  EXPECT_EQ(e.value().ca_file, TlsDir("secure") + "/ca.pem");
  EXPECT_EQ(e.value().cert_file, TlsDir("secure") + "/cert.pem");
  EXPECT_EQ(e.value().key_file, TlsDir("secure") + "/key.pem");
}

TEST_F(ContextTest, ContextsHonourDockerConfig) {
  fs::path other = fs::path(home_) / "elsewhere";
  Write(other / "config.json", R"({"currentContext":"x"})");
  Write(other / "contexts" / "meta" / ContextDirName("x") / "meta.json",
        Meta("x", R"({"Host":"tcp://x:1"})"));
  Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONFIG", other.string()}}));
  ASSERT_TRUE(e.ok()) << e.error().Describe();
  EXPECT_EQ(e.value().Display(), "tcp://x:1");
}

TEST_F(ContextTest, MissingContextIsAnErrorNamingIt) {
  Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONTEXT", "nope"}}));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::kBadEndpoint);
  std::string line = e.error().Describe();
  EXPECT_TRUE(line.starts_with("cannot use the Docker endpoint context \"nope\": no such context"))
      << line;
}

TEST_F(ContextTest, BrokenFilesAreErrors) {
  WriteMeta("broken", "{not json");
  WriteMeta("empty", R"({"Name":"empty","Endpoints":{}})");
  WriteMeta("ssh", Meta("ssh", R"({"Host":"ssh://me@h"})"));
  for (const char* name : {"broken", "empty", "ssh"}) {
    Result<Endpoint> e = ResolveEndpoint(Env({{"DOCKER_CONTEXT", name}}));
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_EQ(e.error().kind, ErrorKind::kBadEndpoint) << name;
  }
  WriteConfig("{\"currentContext\":");
  Result<Endpoint> e = ResolveEndpoint(Env());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().detail.find("config.json is not valid JSON"), std::string::npos);
}

TEST_F(ContextTest, NoHomeMeansNoContexts) {
  EXPECT_EQ(SelectedContext({}).value(), "default");
  Result<Endpoint> e = ResolveEndpoint({{"DOCKER_CONTEXT", "remote"}});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().detail.find("neither HOME nor DOCKER_CONFIG"), std::string::npos);
}

}  // namespace
}  // namespace nest::engine
