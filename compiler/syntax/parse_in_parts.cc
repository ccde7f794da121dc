// Parsing a large file in parts: the file is cut at top-level block
// boundaries and the parts are parsed by a few threads (RunParts).
#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "compiler/support/run_parts.h"
#include "compiler/syntax/parse_in_parts.h"
#include "compiler/syntax/parse_state.h"

namespace nest::syntax::parsing {
namespace {

// A cut is made only after a line that is a lone `}` and, past any blank lines,
// before a line that starts with a name: in a formatted file, the end of one
// top-level block and the start of the next item.
//
// Why the parts' result is the whole file's: every construct that spans lines
// (block, list, map, call, comment) must be closed, and strings cannot span
// lines. So when each part parses without any diagnostic, no construct
// crossed a cut, and the items are those a single pass finds. When any part
// has a diagnostic (a bad cut inside an unformatted block, or a real error),
// the caller parses the whole file again in one pass, so diagnostics are
// always a single pass's.
std::vector<std::uint32_t> CutPoints(std::string_view text, std::size_t parts) {
  std::vector<std::uint32_t> cuts{0};
  for (std::size_t part = 1; part < parts; ++part) {
    std::size_t at = std::max<std::size_t>(text.size() * part / parts, cuts.back() + 1);
    std::size_t cut = std::string_view::npos;
    for (std::size_t found = text.find("\n}\n", at == 0 ? 0 : at - 1); found != std::string_view::npos;
         found = text.find("\n}\n", found + 1)) {
      std::size_t next = found + 3;
      while (next < text.size() && text[next] == '\n') ++next;  // blank lines
      if (next >= text.size()) break;
      if (IsIdentFirst(text[next])) {
        cut = next;
        break;
      }
    }
    if (cut == std::string_view::npos) break;
    cuts.push_back(static_cast<std::uint32_t>(cut));
  }
  cuts.push_back(static_cast<std::uint32_t>(text.size()));
  return cuts;
}

}  // namespace

bool ParseInParts(std::string_view text, FileId file, ast::File& out, unsigned threads) {
  // One part a thread (PartsFor; a part is at least
  // 256 KiB, and the file over 512 KiB).
  constexpr std::size_t kMinPart = 256 << 10;
  if (threads == 1 || text.size() < 2 * kMinPart) return false;
  std::size_t parts = PartsFor(text.size(), kMinPart, threads);
  std::vector<std::uint32_t> cuts = CutPoints(text, parts);
  parts = cuts.size() - 1;
  if (parts < 2) return false;

  std::vector<ast::File> files(parts);
  std::vector<Diagnostics> diags(parts);
  RunParts(parts, ThreadsFor(parts, threads), [&](std::size_t part) {
    State st(text, file, files[part], diags[part]);
    ParseRange(st, cuts[part], cuts[part + 1]);
  });
  for (const auto& part : diags)
    if (!part.empty()) return false;

  std::size_t attributes = 0, blocks = 0, comments = 0;
  for (const auto& f : files) {
    attributes += f.body.attributes.size();
    blocks += f.body.blocks.size();
    comments += f.comments.size();
  }
  out.body.attributes.reserve(attributes);
  out.body.blocks.reserve(blocks);
  out.comments.reserve(comments);
  for (auto& f : files) {
    std::move(f.body.attributes.begin(), f.body.attributes.end(), std::back_inserter(out.body.attributes));
    std::move(f.body.blocks.begin(), f.body.blocks.end(), std::back_inserter(out.body.blocks));
    std::move(f.comments.begin(), f.comments.end(), std::back_inserter(out.comments));
  }
  return true;
}

}  // namespace nest::syntax::parsing
