// `nest import`: a service's ports (short and long form) and networks.
#include <fmt/format.h>

#include "compiler/compose_syntax/port.h"
#include "compiler/import/service_importer.h"

namespace nest::import {

// "[published:]target[/protocol]" where published and target are literal
// numbers or whole `${VAR}` interpolations. Read by compose_syntax as the
// providers read it, then refused where nest cannot express it.
void ServiceImporter::ShortPort(const YAML::Node& item) {
  auto text = im_.Scalar(item, "a port");
  if (!text) return;
  if (text->find('$') == std::string::npos) {
    LiteralShortPort(item, *text);
    return;
  }
  // With interpolation: a port block whose numbers may be variables.
  auto pieces = compose_syntax::SplitShortPort(*text);
  if (!pieces) {
    im_.Invalid(item, fmt::format("`{}` is not a port mapping", *text), pieces.error().message);
    return;
  }
  const compose_syntax::ShortPortText& p = pieces.value();
  auto protocol = compose_syntax::PortProtocol(p.protocol);
  if (!p.protocol.empty() && !protocol) {
    im_.Invalid(item, fmt::format("`{}` is not a port protocol", p.protocol));
    return;
  }
  auto literal_range = [](const std::string& s) {
    return s.find('-') != std::string::npos && s.find("${") == std::string::npos;
  };
  if (!ExpressiblePort(item, *text, !p.host_ip.empty(), literal_range(p.published) || literal_range(p.target))) return;
  NestBlock b;
  b.type = "port";
  auto number = [&](const std::string& s) { return im_.ExprText(s, item, Kind::kPortNumber, "a port"); };
  if (!p.published.empty()) {
    auto published = number(p.published);
    if (!published) return;
    b.Set("published", *published);
  }
  auto target = number(p.target);
  if (!target) return;
  b.Set("target", *target);
  if (protocol) b.Set("protocol", *protocol);
  port_blocks_.push_back(std::move(b));
}

bool ServiceImporter::ExpressiblePort(const YAML::Node& item, const std::string& text, bool host_address,
                                      bool range) {
  if (host_address) {
    im_.Unsupported(item, fmt::format("the port `{}` bound to one host address", text),
                    "nest publishes on every address of the node");
    return false;
  }
  if (range) {
    im_.Unsupported(item, fmt::format("the port range `{}`", text), "write one port per entry");
    return false;
  }
  return true;
}

void ServiceImporter::LiteralShortPort(const YAML::Node& item, const std::string& text) {
  auto mapping = compose_syntax::ParseShortPort(text);
  if (!mapping) {
    im_.Invalid(item, fmt::format("`{}` is not a port mapping", text), mapping.error().message);
    return;
  }
  const compose_syntax::PortMapping& m = mapping.value();
  bool range = m.target.last != m.target.first || (m.published && m.published->last != m.published->first);
  if (!ExpressiblePort(item, text, !m.host_ip.empty(), range)) return;
  if (m.target.first == 0 || (m.published && m.published->first == 0)) {
    im_.Invalid(item, fmt::format("`{}` is not a port mapping", text), "nest ports are numbers from 1 to 65535");
    return;
  }
  if (m.published) {
    port_literals_.push_back(
        fmt::format("{}:{}{}", m.published->first, m.target.first, m.protocol_written ? "/" + m.protocol : ""));
  } else {
    port_literals_.push_back(fmt::format("{}/{}", m.target.first, m.protocol));
  }
}

void ServiceImporter::LongPort(const YAML::Node& item) {
  auto entries = im_.Map(item, "a port");
  if (!entries) return;
  NestBlock b;
  b.type = "port";
  std::optional<std::string> target, published, name, app_protocol;
  std::string protocol = "tcp", mode = "ingress";
  for (const auto& e : *entries) {
    if (e.key == "target") target = im_.Expr(e.value, Kind::kPortNumber, "`target`");
    else if (e.key == "name") name = im_.Expr(e.value, Kind::kString, "a port `name`");
    else if (e.key == "app_protocol") app_protocol = im_.Expr(e.value, Kind::kString, "`app_protocol`");
    else if (e.key == "published") {
      if (e.value.IsScalar() && e.value.Scalar().find('-') != std::string::npos &&
          e.value.Scalar().find('$') == std::string::npos) {
        im_.Unsupported(e.value, fmt::format("the port range `{}`", e.value.Scalar()), "write one port per entry");
        return;
      }
      published = im_.Expr(e.value, Kind::kPortNumber, "`published`");
    } else if (e.key == "protocol" || e.key == "mode") {
      auto v = im_.Scalar(e.value, "`" + e.key + "`");
      if (!v) return;
      bool ok = e.key == "protocol" ? (*v == "tcp" || *v == "udp" || *v == "sctp") : (*v == "ingress" || *v == "host");
      if (!ok) {
        im_.Invalid(e.value, fmt::format("`{}` is not a port {}", *v, e.key));
        return;
      }
      (e.key == "protocol" ? protocol : mode) = *v;
    } else {
      im_.UnknownKey(e, "a port");
    }
  }
  if (!target) {
    if (!im_.failed()) im_.Invalid(item, "a port needs a `target`");
    return;
  }
  bool literal = target->find("var.") == std::string::npos &&
                 (!published || published->find("var.") == std::string::npos);
  // A name or an application protocol has no short form: a `port` block.
  if (literal && mode == "ingress" && !name && !app_protocol) {
    if (published) port_literals_.push_back(fmt::format("{}:{}{}", *published, *target, protocol == "tcp" ? "" : "/" + protocol));
    else port_literals_.push_back(fmt::format("{}/{}", *target, protocol));
    return;
  }
  if (published) b.Set("published", *published);
  b.Set("target", *target);
  if (protocol != "tcp") b.Set("protocol", protocol);
  if (mode != "ingress") b.Set("mode", mode);
  if (name) b.Set("name", *name);
  if (app_protocol) b.Set("app_protocol", *app_protocol);
  port_blocks_.push_back(std::move(b));
}

void ServiceImporter::Ports(const YAML::Node& node) {
  auto items = im_.Seq(node, "`ports`");
  if (!items) return;
  for (const auto& item : *items) {
    if (item.IsMap()) LongPort(item);
    else ShortPort(item);
  }
}

void ServiceImporter::Networks(const YAML::Node& node) {
  if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto ref = im_.Reference(item, "network", "a network")) networks_.push_back(*ref);
    return;
  }
  auto entries = im_.Map(node, "`networks`");
  if (!entries) return;
  for (const auto& e : *entries) {
    auto ref = im_.Reference(e.key_node, "network", "a network");
    if (!ref) continue;
    networks_.push_back(*ref);
    if (e.value.IsNull()) continue;
    auto settings = im_.Map(e.value, fmt::format("network `{}` of the service", e.key));
    if (!settings) continue;
    for (const auto& s : *settings) {
      if (s.key != "aliases") {
        im_.UnknownKey(s, fmt::format("network `{}` of service `{}`", e.key, name_));
        continue;
      }
      auto names = im_.StringItems(s.value, "`aliases`");
      if (!names || names->empty()) continue;
      NestBlock alias;
      alias.type = "alias";
      alias.Set("network", *ref);
      alias.Set("names", ListExpr(*names));
      alias_blocks_.push_back(std::move(alias));
    }
  }
}

}  // namespace nest::import
