#include "providers/swarm/timestamp.h"

#include <cstdint>

#include <fmt/format.h>

namespace nest::swarm {
namespace {

// Reads exactly `digits` decimal digits at text[*at]; false when they are not there.
bool ReadNumber(std::string_view text, std::size_t* at, int digits, int* value) {
  if (*at + digits > text.size()) return false;
  int result = 0;
  for (int i = 0; i < digits; ++i) {
    char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  *at += digits;
  *value = result;
  return true;
}

bool Expect(std::string_view text, std::size_t* at, char want) {
  if (*at >= text.size()) return false;
  char c = text[*at];
  // RFC 3339 allows lower case t/z and a space between date and time.
  bool same = c == want || (want == 'T' && (c == 't' || c == ' ')) || (want == 'Z' && c == 'z');
  if (same) ++*at;
  return same;
}

}  // namespace

std::optional<EngineTime> ParseEngineTime(std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  int year, month, day, hour, minute, second;
  if (!ReadNumber(text, &at, 4, &year) || !Expect(text, &at, '-') || !ReadNumber(text, &at, 2, &month) ||
      !Expect(text, &at, '-') || !ReadNumber(text, &at, 2, &day) || !Expect(text, &at, 'T') ||
      !ReadNumber(text, &at, 2, &hour) || !Expect(text, &at, ':') || !ReadNumber(text, &at, 2, &minute) ||
      !Expect(text, &at, ':') || !ReadNumber(text, &at, 2, &second))
    return std::nullopt;
  year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t fraction = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (digits < 9) fraction = fraction * 10 + (text[at] - '0'), ++digits;
      ++at;  // beyond nanoseconds: ignored
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) fraction *= 10;
  }
  minutes offset{0};
  if (Expect(text, &at, 'Z')) {
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int sign = text[at] == '-' ? -1 : 1;
    ++at;
    int off_hour, off_minute;
    if (!ReadNumber(text, &at, 2, &off_hour) || !Expect(text, &at, ':') || !ReadNumber(text, &at, 2, &off_minute))
      return std::nullopt;
    offset = minutes(sign * (off_hour * 60 + off_minute));
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  // Nanoseconds since 1970 in 64 bits reach only the years 1677 to 2262.
  // Go's zero time (0001-01-01, "never") and other far dates are clamped to
  // 1900 and 2200: long before or after any engine ran, and the difference
  // of any two times stays representable.
  if (year < 1900) return EngineTime(sys_days(std::chrono::year(1900) / 1 / 1));
  if (year > 2200) return EngineTime(sys_days(std::chrono::year(2200) / 1 / 1));
  EngineTime local = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) + nanoseconds(fraction);
  return local - offset;
}

std::string FormatEngineTime(EngineTime time) {
  using namespace std::chrono;
  sys_days day = floor<days>(time);
  year_month_day date(day);
  nanoseconds in_day = time - day;
  auto h = duration_cast<hours>(in_day);
  auto m = duration_cast<minutes>(in_day - h);
  auto s = duration_cast<seconds>(in_day - h - m);
  auto ns = in_day - h - m - s;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", int(date.year()), unsigned(date.month()),
                     unsigned(date.day()), h.count(), m.count(), s.count(), ns.count());
}

}  // namespace nest::swarm
