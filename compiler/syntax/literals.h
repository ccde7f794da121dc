// Typed literals: numbers with units, percentages, IPv4 addresses, CIDRs and
// port mappings.
//
// The parser classifies every token that starts with a digit or `-` with
// ParseNumericLiteral. The single-kind functions are exported for the checker,
// which parses command-line values (`--var app_timeout=30s`) with exactly the
// same rules. None of them throws; a failure carries the diagnostic code, a
// summary (lower case, no trailing period) and optional help and notes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace nest {

struct LiteralError {
  DiagCode code = DiagCode::InvalidNumber;
  std::string summary;             // "unknown unit `x` in `30x`"
  std::vector<std::string> help;   // "did you mean `512MiB`?"
  std::vector<std::string> notes;  // "size units are ..."
};

// A value, or the reason there is none.
template <typename T>
struct LiteralResult {
  std::optional<T> value;
  LiteralError error;  // meaningful only when !ok()

  bool ok() const { return value.has_value(); }
  explicit operator bool() const { return ok(); }

  static LiteralResult Ok(T v) { return {std::move(v), {}}; }
  static LiteralResult Fail(LiteralError e) { return {std::nullopt, std::move(e)}; }
};

struct CidrValue {
  std::uint32_t address = 0;  // host order: 10.0.0.0 is 0x0A000000
  int prefix = 32;
};

// `-?digits(.digits)?`, e.g. "3", "-2", "1.5", "0400". Errors: InvalidNumber.
LiteralResult<double> ParseNumberText(std::string_view text);
// One or more `<number><unit>` components, unit in ns us ms s m h d:
// "30s", "1h30m", "1.5s" (= 1500000000). Returns nanoseconds. Errors: InvalidDuration.
LiteralResult<std::int64_t> ParseDurationText(std::string_view text);
// `<number><unit>`, unit in B KB MB GB TB (powers of 1000) KiB MiB GiB TiB
// (powers of 1024), case-sensitive; must be a whole number of bytes.
// Returns bytes. Errors: InvalidSize.
LiteralResult<std::int64_t> ParseSizeText(std::string_view text);
// `<number>%` between 0% and 100%: "70%" -> 70, "12.5%" -> 12.5. Errors: InvalidPercentage.
LiteralResult<double> ParsePercentText(std::string_view text);
// A dotted-quad IPv4 address "172.30.1.1". Errors: InvalidAddress.
LiteralResult<std::uint32_t> ParseIpText(std::string_view text);
// An IPv4 CIDR "172.30.1.0/24" (host bits are not checked here). Errors: InvalidAddress.
LiteralResult<CidrValue> ParseCidrText(std::string_view text);
// "8080:80", "8080:80/udp", "53/udp", or a bare target "80"; ports 1..65535,
// protocol tcp (default), udp or sctp. Errors: InvalidPort.
LiteralResult<ast::PortLiteral> ParsePortText(std::string_view text);

// Classifies a numeric token as the parser does and fills kind and value of
// an Expr (span unset): kNumber, kDuration, kSize, kPercent, kIp, kCidr or
// kPort. An unknown unit gives InvalidSize when it looks like a size unit
// (`512mib`, `1PB`), InvalidDuration when it looks like a duration (`30sec`,
// `1h30`), and InvalidNumber otherwise (`30x`).
LiteralResult<ast::Expr> ParseNumericLiteral(std::string_view text);
// The same, filling kind and value of `expr` in place (the parser's fast
// path); returns the error, or nullopt on success (then `expr` is set).
std::optional<LiteralError> ParseNumericLiteralInto(std::string_view text, ast::Expr& expr);

}  // namespace nest
