#include "providers/engine/endpoint.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

namespace fs = std::filesystem;

Endpoint Resolve(const Environment& env) {
  Result<Endpoint> r = ResolveEndpoint(env);
  if (!r.ok()) ADD_FAILURE() << r.error().Describe();
  return r.ok() ? r.value() : Endpoint{};
}

EngineError ResolveError(const Environment& env) {
  Result<Endpoint> r = ResolveEndpoint(env);
  if (r.ok()) {
    ADD_FAILURE() << "resolved to " << r.value().Display();
    return EngineError{};
  }
  EXPECT_EQ(r.error().kind, ErrorKind::kBadEndpoint);
  return r.error();
}

// A temp folder for cert files, removed afterwards.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/nest-endpoint-test-XXXXXX";
    path_ = ::mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  void Write(const std::string& name, const std::string& text) const {
    fs::create_directories((fs::path(path_) / name).parent_path());
    std::ofstream(fs::path(path_) / name) << text;
  }

 private:
  std::string path_;
};

TEST(EndpointTest, DefaultIsTheUnixSocket) {
  Endpoint e = Resolve({});
  EXPECT_EQ(e.transport, Endpoint::Transport::kUnix);
  EXPECT_EQ(e.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(e.Display(), "unix:///var/run/docker.sock");
  EXPECT_EQ(e.BaseUrl(), "http://localhost");
  EXPECT_EQ(e.context, "default");
  EXPECT_FALSE(e.pinned_version.has_value());
}

TEST(EndpointTest, EmptyDockerHostCountsAsUnset) {
  EXPECT_EQ(Resolve({{"DOCKER_HOST", ""}}).Display(), "unix:///var/run/docker.sock");
}

TEST(EndpointTest, UnixDockerHost) {
  Endpoint e = Resolve({{"DOCKER_HOST", "unix:///run/user/1000/docker.sock"}});
  EXPECT_EQ(e.transport, Endpoint::Transport::kUnix);
  EXPECT_EQ(e.socket_path, "/run/user/1000/docker.sock");
  EXPECT_EQ(Resolve({{"DOCKER_HOST", "unix://"}}).socket_path, "/var/run/docker.sock");
}

TEST(EndpointTest, TcpDockerHostWithAndWithoutPort) {
  Endpoint e = Resolve({{"DOCKER_HOST", "tcp://10.0.0.5:2375"}});
  EXPECT_EQ(e.transport, Endpoint::Transport::kTcp);
  EXPECT_EQ(e.host, "10.0.0.5");
  EXPECT_EQ(e.port, 2375);
  EXPECT_FALSE(e.tls);
  EXPECT_EQ(e.Display(), "tcp://10.0.0.5:2375");
  EXPECT_EQ(e.BaseUrl(), "http://10.0.0.5:2375");
  EXPECT_EQ(Resolve({{"DOCKER_HOST", "tcp://docker.example"}}).port, 2375);
  EXPECT_EQ(Resolve({{"DOCKER_HOST", "tcp://:9999"}}).host, "localhost");
}

TEST(EndpointTest, HttpSchemeAndBareHostPortAreTcp) {
  Endpoint http = Resolve({{"DOCKER_HOST", "http://h:80"}});
  EXPECT_EQ(http.Display(), "tcp://h:80");
  EXPECT_FALSE(http.tls);
  EXPECT_EQ(Resolve({{"DOCKER_HOST", "h:1234"}}).Display(), "tcp://h:1234");
  Endpoint https = Resolve({{"DOCKER_HOST", "https://h"}});
  EXPECT_TRUE(https.tls);
  EXPECT_EQ(https.port, 2376);
  EXPECT_EQ(https.BaseUrl(), "https://h:2376");
}

TEST(EndpointTest, Ipv6AndBasePath) {
  Endpoint v6 = Resolve({{"DOCKER_HOST", "tcp://[::1]:2375"}});
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.Display(), "tcp://[::1]:2375");
  EXPECT_EQ(v6.BaseUrl(), "http://[::1]:2375");
  Endpoint prefixed = Resolve({{"DOCKER_HOST", "tcp://h:1/docker/"}});
  EXPECT_EQ(prefixed.base_path, "/docker");
  EXPECT_EQ(prefixed.BaseUrl(), "http://h:1/docker");
}

TEST(EndpointTest, TlsVerifyTurnsOnTlsWithTheDefaultTlsPort) {
  TempDir certs;
  Endpoint e = Resolve({{"DOCKER_HOST", "tcp://h"}, {"DOCKER_TLS_VERIFY", "1"},
                        {"DOCKER_CERT_PATH", certs.path()}});
  EXPECT_TRUE(e.tls);
  EXPECT_TRUE(e.tls_verify);
  EXPECT_EQ(e.port, 2376);
  EXPECT_EQ(e.BaseUrl(), "https://h:2376");
  EXPECT_EQ(e.ca_file, "");  // no ca.pem: the system's CAs
}

TEST(EndpointTest, AnyNonEmptyTlsVerifyVerifiesEvenZero) {
  Endpoint e = Resolve({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "0"}});
  EXPECT_TRUE(e.tls);
  EXPECT_TRUE(e.tls_verify);
}

TEST(EndpointTest, DockerTlsAloneSkipsVerification) {
  Endpoint e = Resolve({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS", "1"}});
  EXPECT_TRUE(e.tls);
  EXPECT_FALSE(e.tls_verify);
}

TEST(EndpointTest, TlsWithoutHostMeansLocalhost2376) {
  Endpoint e = Resolve({{"DOCKER_TLS_VERIFY", "1"}});
  EXPECT_EQ(e.Display(), "tcp://localhost:2376");
  EXPECT_TRUE(e.tls);
}

TEST(EndpointTest, TlsIsIgnoredForUnixSockets) {
  Endpoint e = Resolve({{"DOCKER_HOST", "unix:///x.sock"}, {"DOCKER_TLS_VERIFY", "1"}});
  EXPECT_FALSE(e.tls);
  EXPECT_EQ(e.ca_file, "");
}

TEST(EndpointTest, CertFilesFromDockerCertPath) {
  TempDir certs;
  certs.Write("ca.pem", "ca");
  certs.Write("cert.pem", "cert");
  certs.Write("key.pem", "key");
  Endpoint e = Resolve({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "1"},
                        {"DOCKER_CERT_PATH", certs.path()}});
  EXPECT_EQ(e.ca_file, certs.path() + "/ca.pem");
  EXPECT_EQ(e.cert_file, certs.path() + "/cert.pem");
  EXPECT_EQ(e.key_file, certs.path() + "/key.pem");
}

TEST(EndpointTest, CertPathDefaultsToDockerConfigThenHome) {
  TempDir home;
  home.Write(".docker/ca.pem", "ca");
  Environment env = {{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "1"},
                     {"HOME", home.path()}};
  EXPECT_EQ(Resolve(env).ca_file, home.path() + "/.docker/ca.pem");
  TempDir config;
  config.Write("ca.pem", "ca");
  env["DOCKER_CONFIG"] = config.path();
  EXPECT_EQ(Resolve(env).ca_file, config.path() + "/ca.pem");
}

TEST(EndpointTest, CertificateWithoutKeyIsAnError) {
  TempDir certs;
  certs.Write("cert.pem", "cert");
  EngineError e = ResolveError({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "1"},
                                {"DOCKER_CERT_PATH", certs.path()}});
  EXPECT_NE(e.Describe().find("has cert.pem but no key.pem"), std::string::npos) << e.Describe();
}

TEST(EndpointTest, UnsupportedSchemesAreClearErrors) {
  EngineError ssh = ResolveError({{"DOCKER_HOST", "ssh://me@build-host"}});
  EXPECT_EQ(ssh.Describe(),
            "cannot use the Docker endpoint ssh://***@build-host: ssh:// endpoints are not "
            "supported by nest; use unix:// or tcp://");
  for (const char* host : {"fd://", "npipe:////./pipe/docker_engine", "udp://h:1"})
    ResolveError({{"DOCKER_HOST", host}});
}

TEST(EndpointTest, APathWithoutSchemeGetsAHint) {
  EngineError e = ResolveError({{"DOCKER_HOST", "/var/run/docker.sock"}});
  EXPECT_NE(e.detail.find("did you mean unix:///var/run/docker.sock?"), std::string::npos);
}

TEST(EndpointTest, BadPortsAreErrors) {
  for (const char* host : {"tcp://h:99999", "tcp://h:0", "tcp://h:abc", "tcp://[::1", "tcp://[::1]x"})
    ResolveError({{"DOCKER_HOST", host}});
}

TEST(EndpointTest, CredentialsAreRefusedAndNeverEchoed) {
  EngineError e = ResolveError({{"DOCKER_HOST", "tcp://admin:s3cret@h:2375"}});
  EXPECT_EQ(e.Describe().find("s3cret"), std::string::npos) << e.Describe();
  EXPECT_EQ(e.endpoint, "tcp://***@h:2375");
  EXPECT_EQ(RedactAddress("tcp://h:1/a@b"), "tcp://h:1/a@b");
  EXPECT_EQ(RedactAddress("unix:///x.sock"), "unix:///x.sock");
}

TEST(EndpointTest, DockerApiVersionPinsTheVersion) {
  Endpoint e = Resolve({{"DOCKER_API_VERSION", "1.40"}});
  ASSERT_TRUE(e.pinned_version.has_value());
  EXPECT_EQ(*e.pinned_version, (ApiVersion{1, 40}));
  EXPECT_NE(ResolveError({{"DOCKER_API_VERSION", "latest"}}).detail.find("such as 1.41"),
            std::string::npos);
  EXPECT_NE(ResolveError({{"DOCKER_API_VERSION", "1.44"}}).detail.find("1.41"),
            std::string::npos);
  ResolveError({{"DOCKER_API_VERSION", "1.24"}});
}

TEST(EndpointTest, ProcessEnvironmentReadsTheRealEnvironment) {
  ::setenv("NEST_ENDPOINT_TEST_VAR", "a=b", 1);
  Environment env = ProcessEnvironment();
  EXPECT_EQ(env["NEST_ENDPOINT_TEST_VAR"], "a=b");
  ::unsetenv("NEST_ENDPOINT_TEST_VAR");
}

}  // namespace
}  // namespace nest::engine
