// `nest`: the command line. Parses arguments with CLI11 and hands each
// command to its Run* function in commands.cc. Every usage error exits 1;
// --help and --version exit 0.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>

#include "compiler/diagnostics/diagnostic.h"
#include "cli/commands.h"
#include "cli/compile_commands.h"
#include "cli/apply_commands.h"
#include "cli/autoscale_commands.h"
#include "cli/plan_commands.h"
#include "cli/status_commands.h"

namespace {

using nest::Platform;
using nest::PlatformName;
using nest::StackArgs;

void AddStackOptions(CLI::App& cmd, StackArgs& args) {
  cmd.add_option("PATH", args.path, "A folder of .nest files, or one file")->capture_default_str();
  cmd.add_option("--var", args.vars, "Set a variable: NAME=VALUE (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  cmd.add_option("--var-file", args.var_files, "Read variables from a file (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd.add_flag("--no-color", args.no_color, "Never colour diagnostics");
}

// --target / --platform: parsed once, here, into the one Platform enum.
void AddPlatformOption(CLI::App& cmd, const std::string& name, Platform& platform, const std::string& help) {
  cmd.add_option(name, platform, help)
      ->transform(CLI::CheckedTransformer(std::map<std::string, Platform>{{"swarm", Platform::kSwarm},
                                                                          {"compose", Platform::kCompose}}))
      ->default_str(PlatformName(platform));
}

// Hidden, for tests and CI: a shorter lease (default 30 s) shows a stale
// lock taken over quickly. Also read from NEST_LOCK_LEASE_MS.
void AddLockLeaseOption(CLI::App& cmd, nest::ApplyArgs& apply_args) {
  cmd.add_option_function<long long>(
          "--lock-lease-ms", [&apply_args](long long ms) { apply_args.lock_lease = std::chrono::milliseconds(ms); },
          "Lease of the stack's lock, in milliseconds")
      ->envname("NEST_LOCK_LEASE_MS")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            char* end = nullptr;
            long long ms = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || ms < 1)
              return "the lock's lease (--lock-lease-ms, NEST_LOCK_LEASE_MS) is a whole number of "
                     "milliseconds, 1 or more, not `" + text + "`";
            return "";
          },
          "MILLISECONDS"))
      ->group("");
}

CLI::App* FindCommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

void UnknownCommand(CLI::App& app, const std::string& command) {
  std::vector<std::string> names;
  for (CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  fmt::print(stderr, "error: unknown command `{}`\n", command);
  std::string guess = nest::Suggest(command, names);
  if (!guess.empty()) fmt::print(stderr, "  = help: did you mean `{}`?\n", guess);
  fmt::print(stderr, "Run `nest --help` for the list of commands.\n");
}

// `nest help [COMMAND]`: the same text as `nest [COMMAND] --help`.
int RunHelp(CLI::App& app, const std::string& command) {
  if (command.empty()) {
    fmt::print("{}", app.help());
    return 0;
  }
  if (CLI::App* sub = FindCommand(app, command)) {
    fmt::print("{}", sub->help(app.get_name()));
    return 0;
  }
  UnknownCommand(app, command);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // nest runs once and exits; tune glibc's heaps for that.
  // - glibc gives the top of a heap back to the kernel whenever more than
  //   128 KiB of it is free, and takes it again on the next allocation: with
  //   one entry of a compiled file built and dropped after the other, that
  //   is a page fault per page per entry. Keep it.
  // - A heap grows by what is asked plus 128 KiB, a system call each time
  //   (brk, or mprotect for a thread's heap): a large stack's syntax trees
  //   took hundreds. Grow by 32 MiB; pages never written cost nothing.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 32 << 20);
  CLI::App app{"nest: compile a typed stack description into a dependency graph and "
               "byte-stable Docker Swarm / Compose files, plan it against the live engine, "
               "and apply it."};
  app.name("nest");
  app.set_version_flag("--version", "nest " NEST_VERSION, "Print the version and exit");
  app.require_subcommand(0, 1);
  app.footer("Run `nest help COMMAND` for more on a command.");

  nest::ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand("validate", "Check a stack: syntax, types, references, graph");
  AddStackOptions(*validate, validate_args.stack);
  validate->add_flag("--json", validate_args.json, "Print the result as JSON on stdout");

  nest::FmtArgs fmt_args;
  CLI::App* fmt_cmd = app.add_subcommand("fmt", "Rewrite .nest files in the canonical layout");
  fmt_cmd->add_option("PATH", fmt_args.paths, "Files or folders (default: the current folder)");
  fmt_cmd->add_flag("--check", fmt_args.check, "List unformatted files and exit 1 if any; change nothing");
  fmt_cmd->add_flag("--no-color", fmt_args.no_color, "Never colour diagnostics");

  nest::GraphArgs graph_args;
  CLI::App* graph = app.add_subcommand("graph", "Print the stack's dependency graph");
  AddStackOptions(*graph, graph_args.stack);
  graph->add_option("--format", graph_args.format, "Output format")
      ->check(CLI::IsMember({"dot", "json"}))
      ->capture_default_str();

  nest::CompileArgs compile_args;
  CLI::App* compile = app.add_subcommand("compile", "Compile a stack into a swarm stack file or a compose file");
  AddStackOptions(*compile, compile_args.stack);
  AddPlatformOption(*compile, "--target", compile_args.target,
                    "swarm: for docker stack deploy; compose: for docker compose");
  compile->add_option("-o,--output", compile_args.output, "Write to FILE instead of stdout")->type_name("FILE");
  compile->add_option("--stack", compile_args.stack_name, "Stack name for Docker names (default: the stack block's)")
      ->type_name("NAME");
  compile->add_flag("--check", compile_args.check, "Compare with -o FILE; exit 1 with a diff when it is stale");

  nest::ImportArgs import_args;
  CLI::App* import = app.add_subcommand("import", "Turn a compose or stack file into nest source");
  import->add_option("COMPOSE_FILE", import_args.input, "The compose file")->required();
  import->add_option("-o,--output", import_args.output, "Write to FILE instead of stdout")->type_name("FILE");
  import->add_flag("--no-color", import_args.no_color, "Never colour diagnostics");

  nest::PlanArgs plan_args;
  CLI::App* plan_cmd = app.add_subcommand("plan", "Show what would change to bring the live stack to the config");
  AddStackOptions(*plan_cmd, plan_args.stack);
  AddPlatformOption(*plan_cmd, "--platform", plan_args.platform, "swarm (services) or compose (plain containers)");
  plan_cmd->add_option("--stack", plan_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");
  plan_cmd->add_option("--target", plan_args.targets,
                       "Plan only this resource or module and what it depends on (repeatable)")
      ->type_name("ADDRESS")
      ->allow_extra_args(false);
  CLI::Option* plan_json = plan_cmd->add_flag("--json", plan_args.json, "Print the plan as JSON (Terraform's shape)");
  plan_cmd->add_flag("--markdown", plan_args.markdown, "Print the plan as a pull-request comment")->excludes(plan_json);
  plan_cmd->add_option("-o,--out", plan_args.out, "Save the plan to FILE for `nest show` (also `-out FILE`)")
      ->type_name("FILE");
  plan_cmd->add_flag("--detailed-exitcode", plan_args.detailed_exitcode, "Exit 0: no changes, 1: error, 2: changes");

  nest::ShowArgs show_args;
  CLI::App* show = app.add_subcommand("show", "Print a plan saved with `nest plan -out FILE`");
  show->add_option("FILE", show_args.file, "The saved plan")->required();
  CLI::Option* show_json = show->add_flag("--json", show_args.json, "Print the plan as JSON (Terraform's shape)");
  show->add_flag("--markdown", show_args.markdown, "Print the plan as a pull-request comment")->excludes(show_json);
  show->add_flag("--no-color", show_args.no_color, "Never colour the output");

  nest::ApplyArgs apply_args;
  CLI::App* apply = app.add_subcommand("apply", "Apply the plan: change the live stack to match the config");
  AddStackOptions(*apply, apply_args.stack);
  apply->get_option("PATH")->description("A folder of .nest files, one file, or a plan saved with `nest plan -out`");
  AddPlatformOption(*apply, "--platform", apply_args.platform, "swarm (services) or compose (plain containers)");
  apply->add_option("--stack", apply_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");
  apply->add_option("--target", apply_args.targets, "Apply only this resource or module and what it depends on")
      ->type_name("ADDRESS")
      ->allow_extra_args(false);
  apply->add_flag("--auto-approve", apply_args.auto_approve, "Apply without asking (CI)");
  apply
      ->add_option("--parallelism", apply_args.parallelism,
                   "Steps sending engine requests at once; their convergence waits are not bounded (also "
                   "`-parallelism=N`)")
      ->capture_default_str();
  apply->add_flag("--json", apply_args.json, "Print one JSON event per line (docs/apply.md)");
  apply->add_option("--timeout", apply_args.timeout, "Deadline of the whole apply")->capture_default_str();
  CLI::Option* promote = apply->add_option("--promote", apply_args.promote,
                                           "Take the canary of SERVICE, paused at a manual gate, to its next step")
                             ->type_name("SERVICE");
  apply->add_option("--abort", apply_args.abort, "Remove the canary of SERVICE (the stable service untouched), then exit")
      ->type_name("SERVICE")
      ->excludes(promote);
  AddLockLeaseOption(*apply, apply_args);

  nest::RollbackArgs rollback_args;
  CLI::App* rollback = app.add_subcommand("rollback", "Apply again what an earlier revision applied (swarm)");
  AddStackOptions(*rollback, rollback_args.apply.stack);
  rollback->get_option("PATH")->description("A folder of .nest files, or one file (for the stack name; not applied)");
  rollback->add_option("--stack", rollback_args.apply.stack_name, "Stack name (default: the stack block's)")
      ->type_name("NAME");
  rollback->add_option("--to", rollback_args.to, "The revision (default: the one before the newest)")
      ->type_name("N");
  rollback->add_flag("--auto-approve", rollback_args.apply.auto_approve, "Apply without asking (CI)");
  rollback
      ->add_option("--parallelism", rollback_args.apply.parallelism,
                   "Steps sending engine requests at once (also `-parallelism=N`)")
      ->capture_default_str();
  rollback->add_flag("--json", rollback_args.apply.json, "Print one JSON event per line (docs/apply.md)");
  rollback->add_option("--timeout", rollback_args.apply.timeout, "Deadline of the whole rollback")
      ->capture_default_str();
  AddLockLeaseOption(*rollback, rollback_args.apply);

  nest::HistoryArgs history_args;
  CLI::App* history = app.add_subcommand("history", "List the revisions nest apply recorded, newest first (swarm)");
  AddStackOptions(*history, history_args.stack);
  history->get_option("PATH")->description("A folder of .nest files, or one file (for the stack name)");
  history->add_option("--stack", history_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");
  history->add_flag("--json", history_args.json, "Print the revisions as one JSON document");

  nest::ForceUnlockArgs unlock_args;
  CLI::App* unlock = app.add_subcommand("force-unlock", "Remove a stack's apply lock left by a crashed apply");
  unlock->add_option("LOCK_ID", unlock_args.lock_id, "The lock's ID, as the refused apply printed it")->required();
  unlock->add_option("PATH", unlock_args.stack.path, "A folder of .nest files, or one file")->capture_default_str();
  AddPlatformOption(*unlock, "--platform", unlock_args.platform, "swarm (services) or compose (plain containers)");
  unlock->add_option("--stack", unlock_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");

  nest::StatusArgs status_args;
  CLI::App* status = app.add_subcommand("status", "Show the live stack: tasks, health, last apply, drift, autoscaling");
  AddStackOptions(*status, status_args.stack);
  status->add_option("--stack", status_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");
  status->add_flag("--json", status_args.json, "Print the status as JSON (docs/status.md)");
  status->add_flag("--watch", status_args.watch, "Refresh until Ctrl-C");
  status->add_option("--interval", status_args.interval, "How often --watch refreshes")->capture_default_str();

  nest::AutoscaleArgs autoscale_args;
  CLI::App* autoscale = app.add_subcommand("autoscale", "Run the stack's autoscale policies: measure, decide, scale");
  AddStackOptions(*autoscale, autoscale_args.stack);
  autoscale->get_option("PATH")->description("A folder of .nest files, or one file (for the stack name; not read with --stack)");
  autoscale->add_option("--stack", autoscale_args.stack_name, "Stack name (default: the stack block's)")->type_name("NAME");
  CLI::Option* once = autoscale->add_flag("--once", autoscale_args.once, "One round, then exit");
  autoscale->add_option("--interval", autoscale_args.interval, "Time between rounds")->capture_default_str()->excludes(once);
  autoscale->add_flag("--dry-run", autoscale_args.dry_run, "Decide and print; never scale");
  autoscale->add_flag("--json", autoscale_args.json, "Print one JSON event per line (docs/autoscale.md)");

  std::string help_command;
  CLI::App* help = app.add_subcommand("help", "Show help for a command");
  help->add_option("COMMAND", help_command, "The command to explain");

  // The first word that is not an option names the command (nest takes no
  // other top-level positionals): catch typos before CLI11's generic message.
  if (argc > 1 && argv[1][0] != '-' && !FindCommand(app, argv[1])) {
    UnknownCommand(app, argv[1]);
    return 1;
  }

  // `nest plan -out FILE`: Terraform's one-dash long options, as two-dash ones.
  std::vector<std::string> args(argv, argv + argc);
  if (argc > 1 && (args[1] == "plan" || args[1] == "apply" || args[1] == "rollback")) args = nest::TerraformStyleOptions(std::move(args));
  std::vector<char*> arg_pointers;
  for (auto& arg : args) arg_pointers.push_back(arg.data());

  try {
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message; its exit codes (105, 109, ...) become 1.
    return app.exit(e) == 0 ? 0 : 1;
  }

  if (*validate) return nest::RunValidate(validate_args);
  if (*fmt_cmd) return nest::RunFmt(fmt_args);
  if (*graph) return nest::RunGraph(graph_args);
  if (*compile) return nest::RunCompile(compile_args);
  if (*import) return nest::RunImport(import_args);
  if (*plan_cmd) return nest::RunPlan(plan_args, nest::DefaultPlanSources());
  if (*show) return nest::RunShow(show_args);
  if (*apply) return nest::RunApply(apply_args, nest::DefaultPlanSources());
  if (*rollback) return nest::RunRollback(rollback_args, nest::DefaultPlanSources());
  if (*history) return nest::RunHistory(history_args);
  if (*unlock) return nest::RunForceUnlock(unlock_args, nest::DefaultPlanSources());
  if (*status) return nest::RunStatus(status_args);
  if (*autoscale) return nest::RunAutoscale(autoscale_args);
  if (*help) return RunHelp(app, help_command);
  fmt::print(stderr, "{}", app.help());
  return 1;
}
