// `tandem example NAME [options]`: runs one example (the list: tandem example
// --help). Each example parses its own options in app/example_<name>.cpp; adding one is a
// declaration and a table line here.
#include <algorithm>
#include <array>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::app {

int run_cartpole_example(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_cartpole_camera_example(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_bicycle_example(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_digits_example(const std::vector<std::string>& args, const InterruptGuard& interrupt);

namespace {

struct Example {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args, const InterruptGuard& interrupt);
};

constexpr std::array all_examples = {
    Example{"cartpole", "hybrid SNN+ANN controller balancing the cart-pole, with energy and traces",
            run_cartpole_example},
    Example{"cartpole-camera",
            "the cart-pole from an event camera: DVS -> spiking convolution and pooling -> dense policy",
            run_cartpole_camera_example},
    Example{"bicycle", "hybrid SNN+ANN controller keeping the bicycle upright (Tianjic-style), with energy and traces",
            run_bicycle_example},
    Example{"digits", "8x8 handwritten digits as ANN, converted SNN and hybrid: accuracy, energy and latency per inference",
            run_digits_example},
};

}  // namespace

int run_example_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: tandem example NAME [options]   (tandem example NAME --help for its options)\n\n"
              << "Runs an example network and reports its result and energy.\n\nexamples:\n";
    std::size_t width = 0;  // names in one column
    for (const auto& example : all_examples) width = std::max(width, example.name.size());
    for (const auto& example : all_examples) {
      std::cout << "  " << example.name << std::string(width - example.name.size() + 2, ' ') << example.summary << "\n";
    }
    return args.empty() ? exit_bad_input : exit_ok;
  }
  for (const auto& example : all_examples) {
    if (example.name == args[0]) return example.run(std::vector<std::string>(args.begin() + 1, args.end()), interrupt);
  }
  throw InputError("tandem example: unknown example '" + args[0] + "' (see 'tandem example --help')");
}

}  // namespace tandem::app
