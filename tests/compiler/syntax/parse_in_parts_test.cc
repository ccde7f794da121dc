// A large file is parsed in parts on several threads: the tree and the
// diagnostics must be exactly those of one pass, whatever the cuts hit.
#include <gtest/gtest.h>

#include <string>

#include "compiler/diagnostics/render.h"
#include "compiler/syntax/parser.h"

namespace nest {
namespace {

// Every node's kind, span and payload, in order: two trees with the same dump
// are the same tree.
void Dump(const ast::Expr& e, std::string& out);

void DumpSpan(const Span& s, std::string& out) {
  out += '@' + std::to_string(s.begin) + '-' + std::to_string(s.end);
}

void Dump(const ast::Body& body, std::string& out) {
  for (const auto& a : body.attributes) {
    out += "(attr " + a.name;
    DumpSpan(a.span, out);
    DumpSpan(a.name_span, out);
    out += ' ';
    Dump(a.value, out);
    out += ')';
  }
  for (const auto& b : body.blocks) {
    out += "(block " + b.type;
    DumpSpan(b.span, out);
    DumpSpan(b.open_brace, out);
    for (const auto& l : b.labels) out += " \"" + l.value + '"';
    Dump(b.body, out);
    out += ')';
  }
}

void Dump(const ast::Expr& e, std::string& out) {
  out += '[' + std::to_string(static_cast<int>(e.kind));
  DumpSpan(e.span, out);
  out += ' ' + std::to_string(e.number) + ' ' + std::to_string(e.nanos) + ' ' + std::to_string(e.bytes) + ' ' +
         e.text + (e.boolean ? " t" : " f") + (e.multiline ? " m" : "");
  out += ' ' + std::to_string(e.port.published) + ':' + std::to_string(e.port.target);
  for (const auto& p : e.parts()) {
    out += p.is_interpolation ? " ${" : " '" + p.text + "'";
    for (const auto& x : p.expr) Dump(x, out);
  }
  for (const auto& x : e.items()) Dump(x, out);
  for (const auto& m : e.entries()) {
    out += " {" + m.key + (m.quoted_key ? "\"" : "") + '=';
    Dump(m.value, out);
  }
  for (const auto& s : e.path) out += " ." + s.name;
  out += ']';
}

std::string Dump(const ast::File& file) {
  std::string out;
  Dump(file.body, out);
  for (const auto& c : file.comments) DumpSpan(c.span, out);
  return out;
}

// About `bytes` of formatted nest: a stack block, networks and services with
// comments, strings with interpolation, lists, maps and typed literals.
std::string LargeFile(std::size_t bytes) {
  std::string text = "# generated\nstack \"big\" {}\n\nvariable \"tag\" {\n  default = \"1.0\"\n}\n";
  for (int i = 0; text.size() < bytes; ++i) {
    std::string n = std::to_string(i);
    text += "\n// service " + n + "\nnetwork \"net" + n + "\" {\n  subnet = 10.1." + std::to_string(i % 250) +
            ".0/24\n}\n\nservice \"svc" + n + "\" {\n  image    = \"registry.local/svc" + n +
            ":${var.tag}\"\n  replicas = " + std::to_string(i % 5 + 1) +
            "\n  ports    = [8080:80, 53/udp]\n  networks = [network.net" + n +
            "]\n  env = {\n    LEVEL = \"info\"\n    \"X-N\" = \"" + n +
            "\"\n  }\n  health {\n    interval = 30s\n    test     = [\"CMD\", \"true\"]\n  }\n"
            "  resources {\n    memory = 512MiB\n    cpus   = 0.5\n  }\n  /* a block comment */\n}\n";
  }
  return text;
}

struct Parsed {
  std::string tree;
  std::string diagnostics;
};

Parsed Parse(const std::string& text, unsigned threads) {
  SourceManager sources;
  FileId id = sources.Add("main.nest", text);
  Diagnostics diags;
  ast::File file = ParseFile(sources, id, diags, threads);
  return {Dump(file), RenderText(diags, sources, TextStyle{false})};
}

void ExpectSameForAnyThreads(const std::string& text) {
  Parsed one = Parse(text, 1);
  for (unsigned threads : {2u, 3u, 4u, 0u}) {
    Parsed parts = Parse(text, threads);
    EXPECT_EQ(parts.diagnostics, one.diagnostics) << threads << " threads";
    EXPECT_TRUE(parts.tree == one.tree) << threads << " threads: the trees differ";
  }
}

TEST(ParseInParts, AFormattedFileGivesTheOnePassTree) {
  std::string text = LargeFile(1536 << 10);
  Parsed one = Parse(text, 1);
  EXPECT_EQ(one.diagnostics, "");
  EXPECT_GT(one.tree.size(), text.size());  // the dump holds every node
  ExpectSameForAnyThreads(text);
}

// Unformatted: nested blocks' closing braces at column 1, so the cut points
// can fall inside a top-level block. The parts fail and one pass decides.
TEST(ParseInParts, CutsInsideUnformattedBlocksFallBackToOnePass) {
  std::string text;
  for (int i = 0; text.size() < (1200 << 10); ++i) {
    text += "service \"s" + std::to_string(i) + "\" {\nimage = \"x\"\nhealth {\ninterval = 5s\n}\nlabels = {\na = \"b\"\n}\n}\n";
  }
  Parsed one = Parse(text, 1);
  EXPECT_EQ(one.diagnostics, "");
  ExpectSameForAnyThreads(text);
}

// A syntax error in the second half: the diagnostics are exactly one pass's.
TEST(ParseInParts, ErrorsAreThoseOfOnePass) {
  std::string text = LargeFile(1200 << 10);
  std::size_t at = text.find("replicas = ", text.size() * 3 / 4);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "replicas = = ");
  text += "service \"last\" {\n  image = \"unterminated\n}\n";
  Parsed one = Parse(text, 1);
  EXPECT_NE(one.diagnostics.find("error[NEST-E0"), std::string::npos) << one.diagnostics;
  ExpectSameForAnyThreads(text);
}

// A byte order mark, CRLF line ends and a file whose last line has no
// newline: the parts see them as one pass does.
TEST(ParseInParts, ByteOrderMarkCrlfAndNoFinalNewline) {
  std::string text = "\xEF\xBB\xBF" + LargeFile(700 << 10);
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  ExpectSameForAnyThreads(text);
  ExpectSameForAnyThreads(crlf);
  text.pop_back();
  ExpectSameForAnyThreads(text);
}

}  // namespace
}  // namespace nest
