#include "compiler/format/formatter.h"

#include "compiler/format/printer.h"

namespace nest {

std::string FormatFile(const SourceManager& sources, const ast::File& file) {
  std::string_view text;
  if (file.id != kNoFile && file.id < sources.size()) text = sources.file(file.id).text();
  return format_internal::Printer(text, file).Print();
}

}  // namespace nest
