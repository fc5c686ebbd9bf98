// `tandem tianjic run CASE.json`: runs one Tianjic primitive (lif, vmm, cut, relu, lut) on the
// inputs the case file gives and prints its results as JSON on stdout (docs/tianjic.md).
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/cli_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/json_reader.hpp"
#include "tianjic/case_runner.hpp"

namespace tandem::app {

int run_tianjic_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("options");
  options.add_options()("action", po::value<std::string>(), "run")("case", po::value<std::string>(),
                                                                   "case file (.json)");
  add_common_options(options);
  po::positional_options_description positional;
  positional.add("action", 1).add("case", 1);
  po::variables_map values;
  const CommandHelp help{"tandem tianjic run CASE.json",
                         "Run one of Tianjic's arithmetic primitives bit for bit (lif: the LIF soma, "
                         "vmm: the axon's vector x matrix, cut, relu: compare, lut: lookup table) on "
                         "the parameters and inputs in CASE.json and print the results as JSON on "
                         "stdout, to check the arithmetic against other tools. Schema and semantics: "
                         "docs/tianjic.md.",
                         "  tandem tianjic run lif_case.json\n"
                         "  tandem tianjic run vmm_case.json > out.json\n"};
  if (!parse_command_line("tianjic", args, options, positional, help, values)) return 0;
  if (values.count("action") == 0U) throw InputError("tandem tianjic: give an action: run (see --help)");
  const std::string action = values["action"].as<std::string>();
  if (action != "run") throw InputError("tandem tianjic: unknown action '" + action + "' (expected run)");
  if (values.count("case") == 0U) throw InputError("tandem tianjic run: give the case file, e.g. 'tandem tianjic run case.json'");
  const std::string path = values["case"].as<std::string>();

  const tianjic::CaseResult result = tianjic::run_case(read_json_file(path), path);
  interrupt.check("running " + path);
  std::cout << tianjic::format_case_output(result.output);
  spdlog::info("tianjic {}: {} MACs, {} activations, {} neuron updates, {} spikes", result.primitive,
               result.executed[Op::mac], result.executed[Op::activation], result.executed[Op::neuron_update],
               result.executed[Op::spike]);
  return 0;
}

}  // namespace tandem::app
