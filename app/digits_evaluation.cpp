#include "app/digits_evaluation.hpp"

#include <memory>

#include "app/run_session.hpp"
#include "core/core_mapping.hpp"
#include "core/error.hpp"
#include "core/simulation.hpp"

namespace tandem::app {
namespace {

std::unique_ptr<EnergyLedger> price_on(Simulation& simulation, const ChipModel& chip) {
  // One window for the whole inference: the per-window streams are not recorded here.
  return std::make_unique<EnergyLedger>(
      simulation, chip_with_core_limit(chip, 0),
      EnergyLedgerSettings{.window_ticks = 1 << 20, .placement = parse_placement(chip.mapping_placement),
                           .pacing = Pacing::free_running});
}

}  // namespace

DigitVariantResult evaluate_digit_variant(const examples::DigitModels& models, const examples::DigitRunSpec& spec,
                                          const examples::DigitSet& test, const std::vector<ChipModel>& chips,
                                          ExecutionMode mode, const InterruptGuard* interrupt) {
  DigitVariantResult result;
  result.spec = spec;
  std::vector<const ChipModel*> usable;
  for (std::size_t n = 0; n < test.size(); ++n) {
    Simulation simulation({.time = TimeBase{1.0}, .seed = 1, .mode = mode, .interrupt = interrupt});
    const Tick ticks = examples::build_digit_inference(simulation, models, spec);
    simulation.build();
    std::vector<std::unique_ptr<EnergyLedger>> ledgers;
    if (n == 0) {
      // The mapping does not depend on the image: the first one decides which chips can run it.
      for (const ChipModel& chip : chips) {
        try {
          ledgers.push_back(price_on(simulation, chip));
          usable.push_back(&chip);
          result.chips.push_back({.chip = chip.name});
        } catch (const InputError& error) {
          result.left_out.push_back(chip.name + ": " + error.what());
        }
      }
    } else {
      for (const ChipModel* chip : usable) ledgers.push_back(price_on(simulation, *chip));
    }
    examples::queue_digit_image(simulation, spec, test.images.col(static_cast<Eigen::Index>(n)));
    simulation.run(ticks);
    const std::size_t decision = examples::digit_decision(simulation, spec);
    result.correct += decision == test.labels[n] ? 1U : 0U;
    for (const NodeCounters& node : simulation.counters()) result.spikes += static_cast<double>(node.executed[Op::spike]);
    for (std::size_t k = 0; k < ledgers.size(); ++k) {
      ledgers[k]->finish();
      DigitChipFigures& figures = result.chips[k];
      figures.total += ledgers[k]->total();
      figures.chip_time_s += ledgers[k]->run_time().chip_time_s;
      figures.always_on_chip_time_s += ledgers[k]->always_on_run_time().chip_time_s;
    }
  }
  result.images = test.size();
  return result;
}

}  // namespace tandem::app
