#include "compiler/syntax/literals.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace nest {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

const char* const kDurationUnitsHelp = "duration units are ns, us, ms, s, m, h and d";
const char* const kSizeUnitsNote =
    "size units are B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB "
    "(powers of 1024); they are case-sensitive";
const char* const kAnyUnitNote =
    "a number can end in a duration unit (ns us ms s m h d), a size unit "
    "(B KB MB GB TB KiB MiB GiB TiB) or `%`";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUnitChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string LowerString(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

LiteralError Error(DiagCode code, std::string summary) {
  LiteralError e;
  e.code = code;
  e.summary = std::move(summary);
  return e;
}

// `digits(.digits)?` at the start of `s` (no sign).
struct Decimal {
  std::string_view whole;     // integer digits
  std::string_view fraction;  // digits after the point, maybe empty
  std::size_t length = 0;     // bytes consumed; 0 when `s` does not start with a digit
  bool dangling_point = false;  // "1." with no digit after the point
};

Decimal ScanDecimal(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0) return d;
  d.whole = s.substr(0, i);
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == i + 1) {
      d.dangling_point = true;
    } else {
      d.fraction = s.substr(i + 1, j - i - 1);
      i = j;
    }
  }
  d.length = i;
  return d;
}

// decimal * unit, exactly. nullopt with `*inexact` when the result has a
// fractional part, nullopt with `*overflow` when it exceeds int64.
std::optional<std::int64_t> Scale(const Decimal& d, std::int64_t unit, bool* inexact, bool* overflow) {
  using u128 = unsigned __int128;
  const u128 limit = static_cast<u128>(kInt64Max);
  u128 whole = 0;
  for (char c : d.whole) {
    whole = whole * 10 + static_cast<unsigned>(c - '0');
    if (whole > limit) {
      *overflow = true;
      return std::nullopt;
    }
  }
  u128 total = whole * static_cast<u128>(unit);
  if (total > limit) {
    *overflow = true;
    return std::nullopt;
  }
  std::string_view frac = d.fraction;
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (!frac.empty()) {
    if (frac.size() > 24) {
      *inexact = true;
      return std::nullopt;
    }
    u128 num = 0, den = 1;
    for (char c : frac) {
      num = num * 10 + static_cast<unsigned>(c - '0');
      den *= 10;
    }
    u128 scaled = num * static_cast<u128>(unit);
    if (scaled % den != 0) {
      *inexact = true;
      return std::nullopt;
    }
    total += scaled / den;
    if (total > limit) {
      *overflow = true;
      return std::nullopt;
    }
  }
  return static_cast<std::int64_t>(total);
}

struct Unit {
  std::string_view name;  // a view, so looking a unit up needs no strlen
  std::int64_t factor;
};

constexpr Unit kDurationUnits[] = {
    {"ns", 1},
    {"us", 1000},
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60LL * 1000000000},
    {"h", 3600LL * 1000000000},
    {"d", 86400LL * 1000000000},
};

constexpr Unit kSizeUnits[] = {
    {"B", 1},
    {"KB", 1000},
    {"MB", 1000000},
    {"GB", 1000000000},
    {"TB", 1000000000000},
    {"KiB", 1LL << 10},
    {"MiB", 1LL << 20},
    {"GiB", 1LL << 30},
    {"TiB", 1LL << 40},
};

template <std::size_t N>
const Unit* FindUnit(const Unit (&units)[N], std::string_view name) {
  for (const Unit& u : units) {
    if (name == u.name) return &u;
  }
  return nullptr;
}

// The size unit that `unit` is a case variant of ("mib" -> "MiB").
const Unit* FindSizeUnitIgnoringCase(std::string_view unit) {
  std::string lower = LowerString(unit);
  for (const Unit& u : kSizeUnits) {
    if (lower == LowerString(u.name)) return &u;
  }
  return nullptr;
}

// Canonical duration unit for a common misspelling ("sec" -> "s"), or null.
const char* DurationUnitFor(std::string_view unit) {
  struct Alias {
    const char* word;
    const char* unit;
  };
  static constexpr Alias kAliases[] = {
      {"ns", "ns"},      {"nsec", "ns"},    {"nsecs", "ns"},   {"nanos", "ns"},
      {"nanosecond", "ns"}, {"nanoseconds", "ns"},
      {"us", "us"},      {"usec", "us"},    {"usecs", "us"},   {"micros", "us"},
      {"\xC2\xB5s", "us"}, {"\xCE\xBCs", "us"}, {"microsecond", "us"}, {"microseconds", "us"},
      {"ms", "ms"},      {"msec", "ms"},    {"msecs", "ms"},   {"millis", "ms"},
      {"millisecond", "ms"}, {"milliseconds", "ms"},
      {"s", "s"},        {"sec", "s"},      {"secs", "s"},     {"second", "s"},
      {"seconds", "s"},
      {"m", "m"},        {"min", "m"},      {"mins", "m"},     {"minute", "m"},
      {"minutes", "m"},
      {"h", "h"},        {"hr", "h"},       {"hrs", "h"},      {"hour", "h"},
      {"hours", "h"},
      {"d", "d"},        {"day", "d"},      {"days", "d"},
  };
  std::string lower = LowerString(unit);
  for (const Alias& a : kAliases) {
    if (lower == a.word) return a.unit;
  }
  return nullptr;
}

bool IsWeekWord(std::string_view unit) {
  std::string lower = LowerString(unit);
  return lower == "w" || lower == "wk" || lower == "wks" || lower == "week" || lower == "weeks";
}

// `text` with the unit at [pos, pos+len) replaced by `unit`.
std::string Replace(std::string_view text, std::size_t pos, std::size_t len, std::string_view unit) {
  std::string out(text.substr(0, pos));
  out += unit;
  out += text.substr(pos + len);
  return out;
}

// The size-unit error for an unknown unit that looks like a size, or nullopt.
std::optional<LiteralError> SizeUnitError(std::string_view text, std::size_t pos, std::string_view unit) {
  std::string lower = LowerString(unit);
  std::vector<std::string> suggestions;
  if (const Unit* u = FindSizeUnitIgnoringCase(unit)) {
    suggestions.push_back(Replace(text, pos, unit.size(), u->name));
  } else if (unit == "k" || unit == "K" || unit == "M" || lower == "g" || lower == "t" ||
             lower == "ki" || lower == "mi" || lower == "gi" || lower == "ti") {
    char prefix = static_cast<char>(lower[0] == 'k' ? 'K' : (lower[0] - 'a' + 'A'));
    suggestions.push_back(Replace(text, pos, unit.size(), std::string(1, prefix) + "iB"));
    suggestions.push_back(Replace(text, pos, unit.size(), std::string(1, prefix) + "B"));
  } else {
    char last = unit.back();
    if (last != 'b' && last != 'B' && last != 'i') return std::nullopt;
  }
  LiteralError e = Error(DiagCode::InvalidSize, fmt::format("unknown unit `{}` in `{}`", unit, text));
  if (suggestions.size() == 1) {
    e.help.push_back(fmt::format("did you mean `{}`?", suggestions[0]));
  } else if (suggestions.size() == 2) {
    e.help.push_back(fmt::format("did you mean `{}` or `{}`?", suggestions[0], suggestions[1]));
  }
  e.notes.push_back(kSizeUnitsNote);
  return e;
}

// The duration error for an unknown unit that looks like a duration, or nullopt.
std::optional<LiteralError> DurationUnitError(std::string_view text, std::size_t pos, std::string_view unit) {
  const char* canonical = DurationUnitFor(unit);
  if (canonical == nullptr && !IsWeekWord(unit)) return std::nullopt;
  LiteralError e = Error(DiagCode::InvalidDuration, fmt::format("unknown unit `{}` in `{}`", unit, text));
  if (canonical != nullptr) {
    e.help.push_back(fmt::format("did you mean `{}`?", Replace(text, pos, unit.size(), canonical)));
  } else {
    e.help.push_back("there is no week unit; write the days, e.g. `7d`");
  }
  e.help.push_back(kDurationUnitsHelp);
  return e;
}

// The next smaller unit, to suggest a unit for the number at the end of
// "1h30" (-> "1h30m").
const char* NextSmallerUnit(std::string_view previous) {
  if (previous == "d") return "h";
  if (previous == "h") return "m";
  if (previous == "m") return "s";
  if (previous == "s") return "ms";
  if (previous == "ms") return "us";
  return "ns";
}

std::string_view UnitAt(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && IsUnitChar(text[end])) ++end;
  return text.substr(pos, end - pos);
}

}  // namespace

LiteralResult<double> ParseNumberText(std::string_view text) {
  using R = LiteralResult<double>;
  std::size_t start = (!text.empty() && text[0] == '-') ? 1 : 0;
  Decimal d = ScanDecimal(text.substr(start));
  if (d.length == 0 || d.dangling_point || start + d.length != text.size()) {
    LiteralError e = Error(DiagCode::InvalidNumber, fmt::format("invalid number `{}`", text));
    if (d.dangling_point) e.help.push_back("write a digit after the decimal point, e.g. `1.0`");
    return R::Fail(std::move(e));
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return R::Fail(Error(DiagCode::InvalidNumber, fmt::format("number `{}` is out of range", text)));
  }
  return R::Ok(value);
}

LiteralResult<std::int64_t> ParseDurationText(std::string_view text) {
  using R = LiteralResult<std::int64_t>;
  auto fail = [&](std::string summary) {
    LiteralError e = Error(DiagCode::InvalidDuration, std::move(summary));
    e.help.push_back(kDurationUnitsHelp);
    return R::Fail(std::move(e));
  };
  if (text.empty()) return fail("empty duration, expected a number and a unit like `30s`");
  if (text[0] == '-') {
    LiteralError e = Error(DiagCode::InvalidDuration, fmt::format("duration `{}` is negative", text));
    e.help.push_back("durations must be zero or more");
    return R::Fail(std::move(e));
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  std::string_view previous_unit;
  while (i < text.size()) {
    Decimal d = ScanDecimal(text.substr(i));
    if (d.length == 0 || d.dangling_point) {
      return fail(fmt::format("invalid duration `{}`, expected a number at `{}`", text, text.substr(i)));
    }
    std::size_t unit_pos = i + d.length;
    std::string_view unit = UnitAt(text, unit_pos);
    if (unit.empty()) {
      if (unit_pos == text.size()) {
        std::string_view number = text.substr(i, d.length);
        LiteralError e = Error(DiagCode::InvalidDuration,
                               i == 0 ? fmt::format("missing unit in duration `{}`", text)
                                      : fmt::format("missing unit after `{}` in `{}`", number, text));
        std::string fixed = std::string(text) + (i == 0 ? "s" : NextSmallerUnit(previous_unit));
        e.help.push_back(fmt::format("did you mean `{}`?", fixed));
        e.help.push_back(kDurationUnitsHelp);
        return R::Fail(std::move(e));
      }
      return fail(fmt::format("unexpected `{}` in duration `{}`", text[unit_pos], text));
    }
    const Unit* u = FindUnit(kDurationUnits, unit);
    if (u == nullptr) {
      if (auto e = DurationUnitError(text, unit_pos, unit)) return R::Fail(std::move(*e));
      return fail(fmt::format("unknown unit `{}` in `{}`", unit, text));
    }
    bool inexact = false, overflow = false;
    auto nanos = Scale(d, u->factor, &inexact, &overflow);
    if (!nanos) {
      if (inexact) return fail(fmt::format("duration `{}` is not a whole number of nanoseconds", text));
      return fail(fmt::format("duration `{}` is too large", text));
    }
    if (*nanos > kInt64Max - total) return fail(fmt::format("duration `{}` is too large", text));
    total += *nanos;
    previous_unit = unit;
    i = unit_pos + unit.size();
  }
  return R::Ok(total);
}

LiteralResult<std::int64_t> ParseSizeText(std::string_view text) {
  using R = LiteralResult<std::int64_t>;
  auto fail = [&](std::string summary) {
    LiteralError e = Error(DiagCode::InvalidSize, std::move(summary));
    e.notes.push_back(kSizeUnitsNote);
    return R::Fail(std::move(e));
  };
  if (text.empty()) return fail("empty size, expected a number and a unit like `512MiB`");
  if (text[0] == '-') {
    LiteralError e = Error(DiagCode::InvalidSize, fmt::format("size `{}` is negative", text));
    e.help.push_back("sizes must be zero or more");
    return R::Fail(std::move(e));
  }
  Decimal d = ScanDecimal(text);
  if (d.length == 0 || d.dangling_point) return fail(fmt::format("invalid size `{}`", text));
  std::string_view unit = UnitAt(text, d.length);
  if (unit.empty()) {
    if (d.length == text.size()) {
      LiteralError e = Error(DiagCode::InvalidSize, fmt::format("missing unit in size `{}`", text));
      e.help.push_back(fmt::format("did you mean `{}B`?", text));
      e.notes.push_back(kSizeUnitsNote);
      return R::Fail(std::move(e));
    }
    return fail(fmt::format("invalid size `{}`", text));
  }
  const Unit* u = FindUnit(kSizeUnits, unit);
  if (u == nullptr) {
    if (auto e = SizeUnitError(text, d.length, unit)) return R::Fail(std::move(*e));
    return fail(fmt::format("unknown unit `{}` in `{}`", unit, text));
  }
  if (d.length + unit.size() != text.size()) {
    return fail(fmt::format("unexpected `{}` after the size `{}`", text.substr(d.length + unit.size()),
                            text.substr(0, d.length + unit.size())));
  }
  bool inexact = false, overflow = false;
  auto bytes = Scale(d, u->factor, &inexact, &overflow);
  if (!bytes) {
    if (inexact) return fail(fmt::format("size `{}` is not a whole number of bytes", text));
    return fail(fmt::format("size `{}` is too large", text));
  }
  return R::Ok(*bytes);
}

LiteralResult<double> ParsePercentText(std::string_view text) {
  using R = LiteralResult<double>;
  if (text.empty() || text.back() != '%') {
    return R::Fail(Error(DiagCode::InvalidPercentage,
                         fmt::format("invalid percentage `{}`, expected a number followed by `%`", text)));
  }
  std::string_view number = text.substr(0, text.size() - 1);
  auto value = ParseNumberText(number);
  if (!value) {
    return R::Fail(Error(DiagCode::InvalidPercentage, fmt::format("invalid percentage `{}`", text)));
  }
  if (*value.value > 100) {
    LiteralError e = Error(DiagCode::InvalidPercentage, fmt::format("percentage `{}` is greater than 100%", text));
    e.help.push_back("percentages go from 0% to 100%");
    return R::Fail(std::move(e));
  }
  if (*value.value < 0) {
    LiteralError e = Error(DiagCode::InvalidPercentage, fmt::format("percentage `{}` is less than 0%", text));
    e.help.push_back("percentages go from 0% to 100%");
    return R::Fail(std::move(e));
  }
  return R::Ok(*value.value);
}

namespace {

// Parses a dotted quad; on failure returns the reason (without the prefix).
std::optional<std::uint32_t> ParseQuad(std::string_view text, std::string* why) {
  std::uint32_t address = 0;
  std::size_t i = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= text.size() || text[i] != '.') {
        *why = "expected four numbers separated by dots";
        return std::nullopt;
      }
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    std::string_view digits = text.substr(start, i - start);
    if (digits.empty()) {
      *why = "expected four numbers separated by dots";
      return std::nullopt;
    }
    if (digits.size() > 1 && digits[0] == '0') {
      *why = fmt::format("`{}` has a leading zero", digits);
      return std::nullopt;
    }
    if (digits.size() > 3) {
      *why = fmt::format("`{}` is greater than 255", digits);
      return std::nullopt;
    }
    unsigned value = 0;
    for (char c : digits) value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > 255) {
      *why = fmt::format("`{}` is greater than 255", digits);
      return std::nullopt;
    }
    address = (address << 8) | value;
  }
  if (i != text.size()) {
    *why = "expected four numbers separated by dots";
    return std::nullopt;
  }
  return address;
}

}  // namespace

LiteralResult<std::uint32_t> ParseIpText(std::string_view text) {
  using R = LiteralResult<std::uint32_t>;
  std::string why;
  auto address = ParseQuad(text, &why);
  if (!address) {
    LiteralError e = Error(DiagCode::InvalidAddress, fmt::format("invalid IP address `{}`: {}", text, why));
    if (text.find(':') != std::string_view::npos) e.notes.push_back("IPv6 addresses are not supported yet");
    return R::Fail(std::move(e));
  }
  return R::Ok(*address);
}

LiteralResult<CidrValue> ParseCidrText(std::string_view text) {
  using R = LiteralResult<CidrValue>;
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    LiteralError e = Error(DiagCode::InvalidAddress,
                           fmt::format("invalid CIDR `{}`: expected an address and a prefix length", text));
    e.help.push_back("write it like `10.0.0.0/24`");
    return R::Fail(std::move(e));
  }
  std::string why;
  auto address = ParseQuad(text.substr(0, slash), &why);
  if (!address) {
    return R::Fail(Error(DiagCode::InvalidAddress, fmt::format("invalid CIDR `{}`: {}", text, why)));
  }
  std::string_view prefix = text.substr(slash + 1);
  bool digits = !prefix.empty() && prefix.size() <= 3 &&
                std::all_of(prefix.begin(), prefix.end(), [](char c) { return IsDigit(c); });
  if (!digits || (prefix.size() > 1 && prefix[0] == '0')) {
    return R::Fail(Error(DiagCode::InvalidAddress,
                         fmt::format("invalid CIDR `{}`: the prefix length must be a number from 0 to 32", text)));
  }
  int length = 0;
  for (char c : prefix) length = length * 10 + (c - '0');
  if (length > 32) {
    return R::Fail(Error(DiagCode::InvalidAddress,
                         fmt::format("invalid CIDR `{}`: the prefix length {} is greater than 32", text, length)));
  }
  return R::Ok(CidrValue{*address, length});
}

LiteralResult<ast::PortLiteral> ParsePortText(std::string_view text) {
  using R = LiteralResult<ast::PortLiteral>;
  auto fail = [&](std::string summary) {
    LiteralError e = Error(DiagCode::InvalidPort, std::move(summary));
    e.help.push_back("write `published:target`, `published:target/udp` or `target/udp`");
    return R::Fail(std::move(e));
  };
  ast::PortLiteral port;
  std::string_view ports = text;
  std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string_view protocol = text.substr(slash + 1);
    ports = text.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
      LiteralError e =
          Error(DiagCode::InvalidPort, fmt::format("unknown protocol `{}` in `{}`", protocol, text));
      std::string lower = LowerString(protocol);
      if (lower == "tcp" || lower == "udp" || lower == "sctp") {
        e.help.push_back(fmt::format("did you mean `{}/{}`?", ports, lower));
      }
      e.notes.push_back("protocols are tcp, udp and sctp");
      return R::Fail(std::move(e));
    }
    port.protocol = protocol == "udp" ? PortProtocol::kUdp : protocol == "sctp" ? PortProtocol::kSctp : PortProtocol::kTcp;
  }
  auto number = [&](std::string_view digits, std::uint32_t* out) -> std::optional<R> {
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return IsDigit(c); })) {
      return fail(fmt::format("invalid port `{}`", text));
    }
    std::uint32_t value = 0;
    for (char c : digits) {
      value = value * 10 + static_cast<std::uint32_t>(c - '0');
      if (value > 65535) break;
    }
    if (value < 1 || value > 65535) {
      LiteralError e = Error(DiagCode::InvalidPort,
                             fmt::format("port {} in `{}` is out of range", digits, text));
      e.help.push_back("ports go from 1 to 65535");
      return R::Fail(std::move(e));
    }
    *out = value;
    return std::nullopt;
  };
  std::size_t colon = ports.find(':');
  if (colon != std::string_view::npos) {
    if (ports.find(':', colon + 1) != std::string_view::npos) {
      return fail(fmt::format("invalid port `{}`: expected one `:` between the published and the target port", text));
    }
    if (auto err = number(ports.substr(0, colon), &port.published)) return *err;
    if (auto err = number(ports.substr(colon + 1), &port.target)) return *err;
  } else {
    if (auto err = number(ports, &port.target)) return *err;
  }
  return R::Ok(std::move(port));
}

std::optional<LiteralError> ParseNumericLiteralInto(std::string_view text, ast::Expr& expr) {
  // Fast path: a plain integer (the most common number by far).
  if (!text.empty() && text.size() <= 15) {
    std::size_t i = text[0] == '-' ? 1 : 0;
    std::int64_t value = 0;
    while (i < text.size() && IsDigit(text[i])) value = value * 10 + (text[i++] - '0');
    if (i == text.size() && (text[0] != '-' || text.size() > 1)) {
      expr.kind = ast::ExprKind::kNumber;
      expr.number = static_cast<double>(text[0] == '-' ? -value : value);
      expr.is_integer = true;
      return std::nullopt;
    }
    // Fast path: a whole number and one unit (`30s`, `512MiB`), the commonest
    // typed literals. The general path below gives the same value for them.
    if (text[0] != '-' && i > 0 && i < text.size()) {
      std::string_view unit = text.substr(i);
      if (const Unit* u = FindUnit(kSizeUnits, unit); u && value <= kInt64Max / u->factor) {
        expr.kind = ast::ExprKind::kSize;
        expr.bytes = value * u->factor;
        return std::nullopt;
      }
      if (const Unit* u = FindUnit(kDurationUnits, unit); u && value <= kInt64Max / u->factor) {
        expr.kind = ast::ExprKind::kDuration;
        expr.nanos = value * u->factor;
        return std::nullopt;
      }
    }
  }
  if (text.find(':') != std::string_view::npos) {
    auto port = ParsePortText(text);
    if (!port) return std::move(port.error);
    expr.kind = ast::ExprKind::kPort;
    expr.port = std::move(*port.value);
    return std::nullopt;
  }
  std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    if (text.substr(0, slash).find('.') != std::string_view::npos) {
      auto cidr = ParseCidrText(text);
      if (!cidr) return std::move(cidr.error);
      expr.kind = ast::ExprKind::kCidr;
      expr.text = std::string(text);
      return std::nullopt;
    }
    auto port = ParsePortText(text);
    if (!port) return std::move(port.error);
    expr.kind = ast::ExprKind::kPort;
    expr.port = std::move(*port.value);
    return std::nullopt;
  }
  if (std::count(text.begin(), text.end(), '.') >= 2) {
    auto ip = ParseIpText(text);
    if (!ip) return std::move(ip.error);
    expr.kind = ast::ExprKind::kIp;
    expr.text = std::string(text);
    return std::nullopt;
  }
  if (!text.empty() && text.back() == '%') {
    auto percent = ParsePercentText(text);
    if (!percent) return std::move(percent.error);
    expr.kind = ast::ExprKind::kPercent;
    expr.number = *percent.value;
    return std::nullopt;
  }

  std::size_t start = (!text.empty() && text[0] == '-') ? 1 : 0;
  Decimal d = ScanDecimal(text.substr(start));
  std::size_t unit_pos = start + d.length;
  if (d.length == 0 || d.dangling_point) return ParseNumberText(text).error;
  if (unit_pos == text.size()) {
    auto number = ParseNumberText(text);
    if (!number) return std::move(number.error);
    expr.kind = ast::ExprKind::kNumber;
    expr.number = *number.value;
    expr.is_integer = d.fraction.empty();
    return std::nullopt;
  }
  std::string_view unit = UnitAt(text, unit_pos);
  if (unit.empty()) return Error(DiagCode::InvalidNumber, fmt::format("invalid number `{}`", text));
  if (FindUnit(kSizeUnits, unit) != nullptr) {
    auto size = ParseSizeText(text);
    if (!size) return std::move(size.error);
    expr.kind = ast::ExprKind::kSize;
    expr.bytes = *size.value;
    return std::nullopt;
  }
  if (FindUnit(kDurationUnits, unit) != nullptr) {
    auto duration = ParseDurationText(text);
    if (!duration) return std::move(duration.error);
    expr.kind = ast::ExprKind::kDuration;
    expr.nanos = *duration.value;
    return std::nullopt;
  }
  // An unknown unit: say which family it most likely belongs to.
  if (auto e = SizeUnitError(text, unit_pos, unit)) return e;
  if (auto e = DurationUnitError(text, unit_pos, unit)) return e;
  LiteralError e = Error(DiagCode::InvalidNumber, fmt::format("unknown unit `{}` in `{}`", unit, text));
  e.notes.push_back(kAnyUnitNote);
  return e;
}

LiteralResult<ast::Expr> ParseNumericLiteral(std::string_view text) {
  ast::Expr expr;
  if (auto error = ParseNumericLiteralInto(text, expr)) return LiteralResult<ast::Expr>::Fail(std::move(*error));
  return LiteralResult<ast::Expr>::Ok(std::move(expr));
}

}  // namespace nest
