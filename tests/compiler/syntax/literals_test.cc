#include "compiler/syntax/literals.h"

#include <gtest/gtest.h>

#include <string>

#include "compiler/syntax/utf8.h"

namespace nest {
namespace {

using ast::ExprKind;

TEST(LiteralDuration, Valid) {
  struct Case {
    const char* text;
    std::int64_t nanos;
  } cases[] = {
      {"30s", 30'000'000'000},
      {"1h30m", 5'400'000'000'000},
      {"500ms", 500'000'000},
      {"1.5s", 1'500'000'000},
      {"0s", 0},
      {"1ns", 1},
      {"10us", 10'000},
      {"2m", 120'000'000'000},
      {"1d", 86'400'000'000'000},
      {"1d2h3m4s5ms6us7ns", 93'784'005'006'007},
      {"0.5m", 30'000'000'000},
      {"1.000000001s", 1'000'000'001},
      {"90s", 90'000'000'000},
      {"1.50s", 1'500'000'000},
  };
  for (const auto& c : cases) {
    auto r = ParseDurationText(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error.summary;
    EXPECT_EQ(*r.value, c.nanos) << c.text;
  }
}

TEST(LiteralDuration, Invalid) {
  const char* cases[] = {"",     "30",  "30x", "30sec", "1h30", "-5s",  "1.5ns", "s",
                         "1.s",  "1h-", "30S", "1..5s", "99999999999d", "1w"};
  for (const char* text : cases) {
    auto r = ParseDurationText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidDuration) << text;
    EXPECT_FALSE(r.error.summary.empty()) << text;
  }
}

TEST(LiteralDuration, HelpSuggestsTheRightUnit) {
  auto r = ParseDurationText("30sec");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.error.help.empty());
  EXPECT_EQ(r.error.help[0], "did you mean `30s`?");
  r = ParseDurationText("1h30");
  EXPECT_EQ(r.error.summary, "missing unit after `30` in `1h30`");
  EXPECT_EQ(r.error.help.at(0), "did you mean `1h30m`?");
  r = ParseDurationText("5Minutes");
  EXPECT_EQ(r.error.help.at(0), "did you mean `5m`?");
  r = ParseDurationText("2H");
  EXPECT_EQ(r.error.help.at(0), "did you mean `2h`?");
  r = ParseDurationText("30");
  EXPECT_EQ(r.error.help.at(0), "did you mean `30s`?");
}

TEST(LiteralSize, Valid) {
  struct Case {
    const char* text;
    std::int64_t bytes;
  } cases[] = {
      {"512MiB", 536'870'912},
      {"1GB", 1'000'000'000},
      {"100B", 100},
      {"1KB", 1000},
      {"1KiB", 1024},
      {"1.5KiB", 1536},
      {"2GiB", 2'147'483'648},
      {"1TB", 1'000'000'000'000},
      {"1TiB", 1'099'511'627'776},
      {"0B", 0},
      {"0.5MB", 500'000},
  };
  for (const auto& c : cases) {
    auto r = ParseSizeText(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error.summary;
    EXPECT_EQ(*r.value, c.bytes) << c.text;
  }
}

TEST(LiteralSize, Invalid) {
  const char* cases[] = {"", "512", "512mib", "512mb", "1PB", "1.5B", "-1KB", "0.1KiB", "1GB2", "10000000TiB", "1x"};
  for (const char* text : cases) {
    auto r = ParseSizeText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidSize) << text;
  }
}

TEST(LiteralPercent, ValidAndInvalid) {
  EXPECT_EQ(*ParsePercentText("70%").value, 70);
  EXPECT_EQ(*ParsePercentText("12.5%").value, 12.5);
  EXPECT_EQ(*ParsePercentText("0%").value, 0);
  EXPECT_EQ(*ParsePercentText("100%").value, 100);
  for (const char* text : {"101%", "150%", "-1%", "%", "70", "7.%", "x%"}) {
    auto r = ParsePercentText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidPercentage) << text;
  }
  EXPECT_EQ(ParsePercentText("150%").error.summary, "percentage `150%` is greater than 100%");
}

TEST(LiteralNumber, ValidAndInvalid) {
  EXPECT_EQ(*ParseNumberText("3").value, 3);
  EXPECT_EQ(*ParseNumberText("-2").value, -2);
  EXPECT_EQ(*ParseNumberText("1.5").value, 1.5);
  EXPECT_EQ(*ParseNumberText("0400").value, 400);
  for (const char* text : {"", "-", "1.", ".5", "1e5", "1_000", "+1", "1.2.3", "--1"}) {
    auto r = ParseNumberText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidNumber) << text;
  }
}

TEST(LiteralAddress, IpAndCidr) {
  EXPECT_EQ(*ParseIpText("172.30.1.1").value, 0xAC1E0101u);
  EXPECT_EQ(*ParseIpText("0.0.0.0").value, 0u);
  EXPECT_EQ(*ParseIpText("255.255.255.255").value, 0xFFFFFFFFu);
  auto cidr = ParseCidrText("172.30.1.0/24");
  ASSERT_TRUE(cidr.ok());
  EXPECT_EQ(cidr.value->address, 0xAC1E0100u);
  EXPECT_EQ(cidr.value->prefix, 24);
  EXPECT_EQ(ParseCidrText("0.0.0.0/0").value->prefix, 0);
  EXPECT_EQ(ParseCidrText("10.0.0.1/32").value->prefix, 32);
  for (const char* text : {"300.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.4x", "", "1.2.3.1000"}) {
    auto r = ParseIpText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidAddress) << text;
  }
  for (const char* text : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0", "10.0.0/8", "10.0.0.0/08", "10.0.0.0/x",
                           "256.0.0.0/8", "10.0.0.0/1000"}) {
    auto r = ParseCidrText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error.code, DiagCode::InvalidAddress) << text;
  }
  EXPECT_EQ(ParseIpText("300.1.1.1").error.summary, "invalid IP address `300.1.1.1`: `300` is greater than 255");
  EXPECT_EQ(ParseCidrText("10.0.0.0/33").error.summary,
            "invalid CIDR `10.0.0.0/33`: the prefix length 33 is greater than 32");
}

TEST(LiteralPort, ValidAndInvalid) {
  auto r = ParsePortText("8080:80");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->published, 8080u);
  EXPECT_EQ(r.value->target, 80u);
  EXPECT_EQ(r.value->protocol, PortProtocol::kTcp);
  r = ParsePortText("8080:80/udp");
  EXPECT_EQ(r.value->protocol, PortProtocol::kUdp);
  r = ParsePortText("53/udp");
  EXPECT_EQ(r.value->published, 0u);
  EXPECT_EQ(r.value->target, 53u);
  r = ParsePortText("9000/sctp");
  EXPECT_EQ(r.value->protocol, PortProtocol::kSctp);
  r = ParsePortText("65535:1");
  EXPECT_TRUE(r.ok());
  r = ParsePortText("80");  // a bare target, e.g. from the command line
  EXPECT_EQ(r.value->target, 80u);
  for (const char* text : {"0:80", "80:0", "65536:80", "80:99999999999", "80/tcpx", "80/TCP", "1:2:3", ":80",
                           "80:", "80/", "a:80", "-1:80", "8000-8010:80"}) {
    auto bad = ParsePortText(text);
    EXPECT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.error.code, DiagCode::InvalidPort) << text;
  }
  EXPECT_EQ(ParsePortText("80/TCP").error.help.at(0), "did you mean `80/tcp`?");
}

// The parser's classification of a numeric token.
TEST(LiteralNumeric, Classification) {
  struct Case {
    const char* text;
    ExprKind kind;
  } cases[] = {
      {"3", ExprKind::kNumber},         {"-1.5", ExprKind::kNumber},     {"30s", ExprKind::kDuration},
      {"1h30m", ExprKind::kDuration},   {"512MiB", ExprKind::kSize},     {"100B", ExprKind::kSize},
      {"70%", ExprKind::kPercent},      {"10.0.0.1", ExprKind::kIp},     {"10.0.0.0/8", ExprKind::kCidr},
      {"8080:80", ExprKind::kPort},     {"8080:80/udp", ExprKind::kPort}, {"53/udp", ExprKind::kPort},
  };
  for (const auto& c : cases) {
    auto r = ParseNumericLiteral(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error.summary;
    EXPECT_EQ(r.value->kind, c.kind) << c.text;
  }
  EXPECT_TRUE(ParseNumericLiteral("3").value->is_integer);
  EXPECT_FALSE(ParseNumericLiteral("3.0").value->is_integer);
  EXPECT_EQ(ParseNumericLiteral("1.5s").value->nanos, 1'500'000'000);
  EXPECT_EQ(ParseNumericLiteral("1GB").value->bytes, 1'000'000'000);
  EXPECT_EQ(ParseNumericLiteral("12.5%").value->number, 12.5);
  EXPECT_EQ(ParseNumericLiteral("10.0.0.0/8").value->text, "10.0.0.0/8");
}

TEST(LiteralNumeric, ErrorCodes) {
  struct Case {
    const char* text;
    DiagCode code;
  } cases[] = {
      // unknown units: sizes first, then durations, then anything else
      {"512mib", DiagCode::InvalidSize},
      {"512Mib", DiagCode::InvalidSize},
      {"512MIB", DiagCode::InvalidSize},
      {"512kb", DiagCode::InvalidSize},
      {"1PB", DiagCode::InvalidSize},
      {"1pib", DiagCode::InvalidSize},
      {"4Gi", DiagCode::InvalidSize},
      {"512M", DiagCode::InvalidSize},
      {"512k", DiagCode::InvalidSize},
      {"30sec", DiagCode::InvalidDuration},
      {"30secs", DiagCode::InvalidDuration},
      {"5min", DiagCode::InvalidDuration},
      {"5mins", DiagCode::InvalidDuration},
      {"2hr", DiagCode::InvalidDuration},
      {"2hour", DiagCode::InvalidDuration},
      {"100msec", DiagCode::InvalidDuration},
      {"1h30", DiagCode::InvalidDuration},
      {"1h30x", DiagCode::InvalidDuration},
      {"30S", DiagCode::InvalidDuration},
      {"30x", DiagCode::InvalidNumber},
      {"1e5", DiagCode::InvalidNumber},
      {"3abc", DiagCode::InvalidNumber},
      {"1.", DiagCode::InvalidNumber},
      {"1-2", DiagCode::InvalidNumber},
      // units that exist but with bad values
      {"1.5B", DiagCode::InvalidSize},
      {"-1KB", DiagCode::InvalidSize},
      {"-5s", DiagCode::InvalidDuration},
      {"101%", DiagCode::InvalidPercentage},
      {"1.2.3", DiagCode::InvalidAddress},
      {"1.2.3.256", DiagCode::InvalidAddress},
      {"1.2.3.4/40", DiagCode::InvalidAddress},
      {"0:80", DiagCode::InvalidPort},
      {"80/icmp", DiagCode::InvalidPort},
  };
  for (const auto& c : cases) {
    auto r = ParseNumericLiteral(c.text);
    EXPECT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(CodeName(r.error.code), CodeName(c.code)) << c.text << ": " << r.error.summary;
    EXPECT_FALSE(r.error.summary.empty());
    EXPECT_NE(r.error.summary.back(), '.') << c.text;
  }
}

TEST(LiteralNumeric, Messages) {
  auto r = ParseNumericLiteral("30x");
  EXPECT_EQ(r.error.summary, "unknown unit `x` in `30x`");
  r = ParseNumericLiteral("512mib");
  EXPECT_EQ(r.error.help.at(0), "did you mean `512MiB`?");
  EXPECT_FALSE(r.error.notes.empty());
  r = ParseNumericLiteral("512Mib");
  EXPECT_EQ(r.error.help.at(0), "did you mean `512MiB`?");
  r = ParseNumericLiteral("1gb");
  EXPECT_EQ(r.error.help.at(0), "did you mean `1GB`?");
  r = ParseNumericLiteral("512M");
  EXPECT_EQ(r.error.help.at(0), "did you mean `512MiB` or `512MB`?");
  r = ParseNumericLiteral("30sec");
  EXPECT_EQ(r.error.help.at(0), "did you mean `30s`?");
  EXPECT_EQ(r.error.help.at(1), "duration units are ns, us, ms, s, m, h and d");
}

TEST(LiteralUtf8, FindInvalid) {
  EXPECT_FALSE(utf8::FindInvalid("").has_value());
  EXPECT_FALSE(utf8::FindInvalid("plain ascii text that is long enough for the fast path").has_value());
  EXPECT_FALSE(utf8::FindInvalid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3 \xF4\x8F\xBF\xBF").has_value());
  EXPECT_EQ(utf8::FindInvalid("abc\x80"), 3u);
  EXPECT_EQ(utf8::FindInvalid("abcdefghij\xC3"), 10u);
  EXPECT_EQ(utf8::FindInvalid("\xC0\x80"), 0u);      // overlong NUL
  EXPECT_EQ(utf8::FindInvalid("\xE0\x80\x80"), 0u);  // overlong
  EXPECT_EQ(utf8::FindInvalid("\xED\xA0\x80"), 0u);  // surrogate
  EXPECT_EQ(utf8::FindInvalid("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(utf8::FindInvalid("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(utf8::FindInvalid("ab\xE2\x82"), 2u);    // truncated
  EXPECT_EQ(utf8::FindInvalid("ab\xE2\x82z"), 2u);
  std::string s;
  utf8::Append(s, 0x41);
  utf8::Append(s, 0xE9);
  utf8::Append(s, 0x20AC);
  utf8::Append(s, 0x1F433);
  EXPECT_EQ(s, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x90\xB3");
}

}  // namespace
}  // namespace nest
