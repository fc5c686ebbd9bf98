// `tandem example digits`' measurement: every test image is one inference, run as its own
// Simulation (so every neuron starts at rest, as after a chip's reset between samples) and priced
// by one EnergyLedger per chip; accuracy, and energy and chip time per inference are the ledgers'
// totals summed over the images and divided by their number, event-driven and always-on.
#pragma once

#include <string>
#include <vector>

#include "core/chip_model.hpp"
#include "core/energy_ledger.hpp"
#include "core/interrupt_guard.hpp"
#include "examples/digits/digits_networks.hpp"

namespace tandem::app {

// One chip's figures for a variant, summed over the images.
struct DigitChipFigures {
  std::string chip;
  NodeEnergy total;          // the ledgers' totals (executed and always-on), summed
  double chip_time_s = 0.0;  // the event run's chip time, summed
  double always_on_chip_time_s = 0.0;
};

struct DigitVariantResult {
  examples::DigitRunSpec spec;
  std::size_t images = 0;
  std::size_t correct = 0;
  double spikes = 0.0;  // spikes and events sent by every node, summed over the images
  std::vector<DigitChipFigures> chips;     // the chips that can run the variant, in the order given
  std::vector<std::string> left_out;       // "chip: reason" for the others

  [[nodiscard]] double accuracy() const { return images == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(images); }
};

// Runs `spec` on every image of `test` in `mode`, priced on each of `chips` that can map it
// (free-running pacing: the next image's first tick starts when the chip is done).
DigitVariantResult evaluate_digit_variant(const examples::DigitModels& models, const examples::DigitRunSpec& spec,
                                          const examples::DigitSet& test, const std::vector<ChipModel>& chips,
                                          ExecutionMode mode, const InterruptGuard* interrupt);

}  // namespace tandem::app
