// `tandem energy compare A.json B.json [C.json …]` prints energy reports side by side with
// ratios to the first; `tandem energy show A.json` prints one report's table.
#include <iostream>

#include "app/cli_options.hpp"
#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::app {

int run_energy_command(const std::vector<std::string>& args, const InterruptGuard& /*interrupt*/) {
  po::options_description options("options");
  options.add_options()("action", po::value<std::string>(), "compare or show")(
      "reports", po::value<std::vector<std::string>>()->multitoken(), "energy report files (--energy-report)");
  add_common_options(options);
  po::positional_options_description positional;
  positional.add("action", 1).add("reports", -1);
  po::variables_map values;
  const CommandHelp help{"tandem energy compare A.json B.json [C.json ...] | tandem energy show A.json",
                         "Compare energy reports written by 'tandem run --energy-report FILE.json' (different "
                         "chips, modes or networks) side by side, with every figure's ratio to the first "
                         "report; or print one report's table. Format: docs/energy.md.",
                         "  tandem energy compare event.json always_on.json\n"
                         "  tandem energy compare loihi.json tianjic.json cpu.json\n"
                         "  tandem energy show run.json\n"};
  if (!parse_command_line("energy", args, options, positional, help, values)) return 0;
  if (values.count("action") == 0U) throw InputError("tandem energy: give an action: compare or show (see --help)");
  const std::string action = values["action"].as<std::string>();
  const auto files = values.count("reports") != 0U ? values["reports"].as<std::vector<std::string>>()
                                                    : std::vector<std::string>{};
  std::vector<EnergyReport> reports;
  for (const auto& file : files) reports.push_back(read_energy_report(file));
  if (action == "show") {
    if (reports.size() != 1) throw InputError("tandem energy show: give exactly one report file");
    std::cout << format_energy_table(reports[0]);
    return 0;
  }
  if (action == "compare") {
    if (reports.size() < 2) throw InputError("tandem energy compare: give at least two report files");
    std::cout << format_energy_comparison(reports, files);
    return 0;
  }
  throw InputError("tandem energy: unknown action '" + action + "' (expected compare or show)");
}

}  // namespace tandem::app
