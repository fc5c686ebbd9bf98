// `tandem example digits`: scikit-learn's 8 x 8 handwritten digits classified by one trained
// network (MLP or CNN) run three ways — an ANN on the dense engine (float32, int8, tianjic), the
// same weights converted to an SNN (rate-coded input, balanced IF thresholds) for T ticks per
// image, and a hybrid (spiking first layer, count decoder, dense head) — with test accuracy and
// energy and chip time per inference on every chip that can run each, event-driven beside
// always-on. Prints a table, or JSON rows (--json); docs/digits.md.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "app/digits_evaluation.hpp"
#include "app/run_session.hpp"
#include "core/chip_presets.hpp"
#include "core/error.hpp"
#include "core/execution_mode.hpp"
#include "core/interrupt_guard.hpp"
#include "examples/digits/digits_data.hpp"
#include "examples/digits/digits_networks.hpp"

namespace tandem::app {
namespace {

using examples::DigitRunSpec;
using examples::DigitVariant;

struct DigitsOptions {
  examples::DigitArchitecture architecture = examples::DigitArchitecture::mlp;
  std::size_t images = 0;  // 0: the whole test split
  std::vector<Tick> ticks;
  std::vector<DigitVariant> variants;
  std::vector<std::string> chips;
  ExecutionMode mode = ExecutionMode::event;
  double percentile = 99.9;
  bool json = false;
  std::string out;
  std::string data;
  std::string weights;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
  return items;
}

DigitsOptions digits_options_from(const po::variables_map& values) {
  const std::string where = "tandem example digits: ";
  DigitsOptions options;
  options.architecture = examples::parse_digit_architecture(values["network"].as<std::string>());
  const long long images = values["images"].as<long long>();
  if (images < 0) throw InputError(where + "--images must be >= 0 (0: every test image), got " + std::to_string(images));
  options.images = static_cast<std::size_t>(images);
  for (const std::string& item : split_list(values["ticks"].as<std::string>())) {
    std::size_t used = 0;
    long long t = 0;
    try {
      t = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || t < 1 || t > 100000) {
      throw InputError(where + "--ticks '" + values["ticks"].as<std::string>() +
                       "': expected a comma-separated list of whole numbers 1..100000, got '" + item + "'");
    }
    if (std::find(options.ticks.begin(), options.ticks.end(), t) == options.ticks.end()) options.ticks.push_back(t);
  }
  for (const std::string& item : split_list(values["variants"].as<std::string>())) {
    DigitVariant variant = DigitVariant::ann;
    if (item == "snn") variant = DigitVariant::snn;
    else if (item == "hybrid") variant = DigitVariant::hybrid;
    else if (item != "ann") throw InputError(where + "--variants: unknown variant '" + item + "' (expected ann, snn, hybrid)");
    if (std::find(options.variants.begin(), options.variants.end(), variant) == options.variants.end()) {
      options.variants.push_back(variant);
    }
  }
  if (options.variants.empty()) throw InputError(where + "--variants: name at least one of ann, snn, hybrid");
  const bool spiking = std::any_of(options.variants.begin(), options.variants.end(),
                                   [](DigitVariant v) { return v != DigitVariant::ann; });
  if (options.ticks.empty() && spiking) {
    throw InputError(where + "--ticks is empty: the snn and the hybrid need at least one T");
  }
  options.chips = parse_chip_list(values["chips"].as<std::string>());
  options.mode = parse_execution_mode(values["mode"].as<std::string>());
  options.percentile = values["percentile"].as<double>();
  if (!(options.percentile > 0.0 && options.percentile <= 100.0)) {
    throw InputError(where + "--percentile must be in (0, 100], got " + std::to_string(options.percentile));
  }
  options.json = values["json"].as<bool>();
  options.out = values.count("out") != 0U ? values["out"].as<std::string>() : "";
  options.data = values.count("data") != 0U ? values["data"].as<std::string>() : examples::shipped_digit_data_path();
  options.weights =
      values.count("weights") != 0U ? values["weights"].as<std::string>() : examples::shipped_digit_weights_path();
  return options;
}

std::vector<DigitRunSpec> run_specs(const DigitsOptions& options) {
  std::vector<DigitRunSpec> specs;
  for (const DigitVariant variant : options.variants) {
    if (variant == DigitVariant::ann) {
      for (const Precision p : {Precision::float32, Precision::fixed, Precision::tianjic}) specs.push_back({variant, p, 0});
    } else if (variant == DigitVariant::snn) {
      for (const Tick t : options.ticks) specs.push_back({variant, Precision::float32, t});
    } else {  // the hybrid's dense head in each precision
      for (const Precision p : {Precision::float32, Precision::fixed, Precision::tianjic}) {
        for (const Tick t : options.ticks) specs.push_back({variant, p, t});
      }
    }
  }
  return specs;
}

// One row per chip and mode: the fields the issue names, nothing else.
struct Row {
  const DigitVariantResult* result;
  const DigitChipFigures* chip;
  bool always_on;
  [[nodiscard]] double energy_j() const {
    return (always_on ? chip->total.always_on_energy_j() : chip->total.energy_j()) / static_cast<double>(result->images);
  }
  [[nodiscard]] double dynamic_j() const {
    return (always_on ? chip->total.always_on_dynamic_j : chip->total.dynamic_j) / static_cast<double>(result->images);
  }
  [[nodiscard]] double latency_s() const {
    return (always_on ? chip->always_on_chip_time_s : chip->chip_time_s) / static_cast<double>(result->images);
  }
};

std::string json_row(const Row& row) {
  const DigitRunSpec& spec = row.result->spec;
  char line[512];
  std::snprintf(line, sizeof line,
                "{\"variant\": \"%s\", \"precision\": \"%s\", \"ticks\": %s, \"chip\": \"%s\", \"mode\": \"%s\", "
                "\"accuracy\": %.17g, \"energy_j_per_inference\": %.17g, \"latency_s_per_inference\": %.17g}",
                std::string(examples::to_string(spec.variant)).c_str(), std::string(to_string(spec.precision)).c_str(),
                spec.variant == DigitVariant::ann ? "null" : std::to_string(spec.ticks).c_str(), row.chip->chip.c_str(),
                row.always_on ? "always-on" : "event", row.result->accuracy(), row.energy_j(), row.latency_s());
  return line;
}

std::vector<Row> rows_of(const std::vector<DigitVariantResult>& results, ExecutionMode mode) {
  std::vector<Row> rows;
  for (const DigitVariantResult& result : results) {
    for (const DigitChipFigures& chip : result.chips) {
      // An always-on execution has no event figures of its own: its executed run is the baseline.
      if (mode == ExecutionMode::event) rows.push_back({&result, &chip, false});
      rows.push_back({&result, &chip, true});
    }
  }
  return rows;
}

std::string ticks_text(const DigitRunSpec& spec) {
  return spec.variant == DigitVariant::ann ? "-" : std::to_string(spec.ticks);
}

void print_table(const std::vector<DigitVariantResult>& results, const DigitsOptions& options,
                 const examples::DigitData& data, const examples::ThresholdBalance& balance, std::size_t images) {
  char line[512];
  std::cout << "digits: " << examples::to_string(options.architecture) << ", " << images << " test images ("
            << data.split << "), mode " << to_string(options.mode) << "\nthreshold balancing: the "
            << options.percentile << "th percentile of each spiking layer's positive activations over the "
            << data.train.size() << " training images:";
  for (std::size_t k = 0; k < balance.layers.size(); ++k) {
    std::snprintf(line, sizeof line, " lambda(%s) = %.4g", balance.layers[k].c_str(), balance.lambdas[k]);
    std::cout << line;
  }
  std::cout << "\n\n";
  std::cout << "accuracy\n";
  std::snprintf(line, sizeof line, "  %-7s %-9s %5s %9s %14s\n", "variant", "precision", "T", "accuracy", "spikes/image");
  std::cout << line;
  for (const DigitVariantResult& r : results) {
    std::snprintf(line, sizeof line, "  %-7s %-9s %5s %8.2f%% %14.1f\n", std::string(examples::to_string(r.spec.variant)).c_str(),
                  std::string(to_string(r.spec.precision)).c_str(), ticks_text(r.spec).c_str(), 100.0 * r.accuracy(),
                  r.spikes / static_cast<double>(r.images));
    std::cout << line;
  }
  std::cout << "\nper inference on each chip (free-running: E = dynamic + static over the chip's time; "
               "event-driven vs always-on)\n";
  std::snprintf(line, sizeof line, "  %-7s %-9s %5s %-17s %9s %11s %11s %7s %11s %11s %11s\n", "variant", "precision", "T",
                "chip", "accuracy", "E event J", "E always J", "ratio", "dyn event J", "t event s", "t always s");
  std::cout << line;
  for (const DigitVariantResult& r : results) {
    for (const DigitChipFigures& chip : r.chips) {
      const Row event{&r, &chip, options.mode == ExecutionMode::always_on};
      const Row always{&r, &chip, true};
      std::snprintf(line, sizeof line, "  %-7s %-9s %5s %-17s %8.2f%% %11.3g %11.3g %7.3f %11.3g %11.3g %11.3g\n",
                    std::string(examples::to_string(r.spec.variant)).c_str(),
                    std::string(to_string(r.spec.precision)).c_str(), ticks_text(r.spec).c_str(), chip.chip.c_str(),
                    100.0 * r.accuracy(), event.energy_j(), always.energy_j(),
                    always.energy_j() > 0.0 ? event.energy_j() / always.energy_j() : 1.0, event.dynamic_j(),
                    event.latency_s(), always.latency_s());
      std::cout << line;
    }
  }
  // Which chips could not run which variant, once per chip and reason (the mapping's message).
  std::vector<std::pair<std::string, std::string>> notes;  // (note, variants)
  for (const DigitVariantResult& r : results) {
    for (const std::string& note : r.left_out) {
      const std::string variant(examples::to_string(r.spec.variant));
      auto found = std::find_if(notes.begin(), notes.end(), [&](const auto& n) { return n.first == note; });
      if (found == notes.end()) {
        notes.emplace_back(note, variant);
      } else if (found->second.find(variant) == std::string::npos) {
        found->second += ", " + variant;
      }
    }
  }
  for (const auto& [note, variants] : notes) std::cout << "  left out (" << variants << ") on chip " << note << "\n";
}

// The goals, stated against what this run measured.
void print_goals(const std::vector<DigitVariantResult>& results) {
  const DigitVariantResult* float_ann = nullptr;
  const DigitVariantResult* int8_ann = nullptr;
  for (const DigitVariantResult& r : results) {
    if (r.spec.variant != DigitVariant::ann) continue;
    if (r.spec.precision == Precision::float32) float_ann = &r;
    if (r.spec.precision == Precision::fixed) int8_ann = &r;
  }
  char line[256];
  std::cout << "\ngoals (on these " << results.front().images << " test images)\n";
  if (int8_ann != nullptr) {
    std::snprintf(line, sizeof line, "  int8 ANN >= 95 %%: %.2f %% — %s\n", 100.0 * int8_ann->accuracy(),
                  int8_ann->accuracy() >= 0.95 ? "met" : "NOT met");
    std::cout << line;
  }
  if (float_ann == nullptr) return;
  const DigitVariantResult* first_within = nullptr;
  const DigitVariantResult* best = nullptr;
  for (const DigitVariantResult& r : results) {
    if (r.spec.variant != DigitVariant::snn) continue;
    if (best == nullptr || r.accuracy() > best->accuracy()) best = &r;
    // Whole images: "within 1 point" compares counts, so rounding cannot decide it.
    if (first_within == nullptr && 100 * (float_ann->correct - std::min(float_ann->correct, r.correct)) <= r.images) {
      first_within = &r;
    }
  }
  if (best == nullptr) return;
  if (first_within != nullptr) {
    std::snprintf(line, sizeof line, "  SNN within 1 point of the float32 ANN (%.2f %%): at T = %lld, %.2f %% — met\n",
                  100.0 * float_ann->accuracy(), static_cast<long long>(first_within->spec.ticks),
                  100.0 * first_within->accuracy());
  } else {
    std::snprintf(line, sizeof line,
                  "  SNN within 1 point of the float32 ANN (%.2f %%): best %.2f %% at T = %lld — NOT met\n",
                  100.0 * float_ann->accuracy(), 100.0 * best->accuracy(), static_cast<long long>(best->spec.ticks));
  }
  std::cout << line;
}

}  // namespace

int run_digits_example(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem example digits options");
  add_common_options(options);
  options.add_options()
    ("network", po::value<std::string>()->default_value("mlp"), "mlp (64-64-10) | cnn (conv 3x3x8, avg pool, 128-10)")
    ("images", po::value<long long>()->default_value(0), "test images to classify (the first N of the split; 0: all 360)")
    ("ticks", po::value<std::string>()->default_value("1,2,4,8,16,32,64"), "T, ticks per image of the SNN and the hybrid")
    ("variants", po::value<std::string>()->default_value("ann,snn,hybrid"), "which of ann, snn, hybrid to run")
    ("chips", po::value<std::string>()->default_value("all"),
     "chips to price on, a,b,c or all (each variant on those that can map it)")
    ("mode", po::value<std::string>()->default_value("event"),
     "event (rows for event-driven and the always-on baseline) | always-on (executed always-on: its rows only)")
    ("percentile", po::value<double>()->default_value(99.9, "99.9"), "threshold balancing: percentile of each layer's activations")
    ("json", po::bool_switch(), "print one JSON object per row instead of the table")
    ("out", po::value<std::string>(), "also write the JSON rows to this file (for scripts/plot_digits.py)")
    ("data", po::value<std::string>(), "data file (default: the shipped examples/digits/data.h5)")
    ("weights", po::value<std::string>(), "weights file (default: the shipped examples/digits/weights.h5)");
  po::variables_map values;
  const CommandHelp help{
      "tandem example digits [options]",
      "Classifies scikit-learn's 8x8 handwritten digits (the seeded test split shipped in examples/digits/data.h5) "
      "with one trained network run as an ANN on the dense engine (float32, int8 fixed point, tianjic), as an SNN "
      "converted from the same weights (rate-coded input, IF neurons with thresholds balanced on the training "
      "split, T ticks per image) and as a hybrid (spiking first layer, count decoder, dense head). Prints test "
      "accuracy and energy and chip time per inference on every chip that can run each variant, event-driven "
      "beside always-on, and whether the goals are met (int8 ANN >= 95 %; SNN within 1 point of the float32 "
      "ANN at some T).",
      "tandem example digits\n"
      "tandem example digits --network cnn --chips tianjic,loihi2\n"
      "tandem example digits --images 50 --ticks 8,64 --json\n"
      "tandem example digits --out out/digits.jsonl && /usr/bin/python3 scripts/plot_digits.py out/digits.jsonl -o out/digits.png"};
  if (!parse_command_line("example digits", args, options, {}, help, values)) return exit_ok;
  const DigitsOptions run = digits_options_from(values);
  if (!run.out.empty()) {  // checked before the run, without creating the file
    const std::filesystem::path parent = std::filesystem::absolute(run.out).parent_path();
    if (!std::filesystem::is_directory(parent) || std::filesystem::is_directory(run.out)) {
      throw InputError("tandem example digits: --out '" + run.out + "': no directory to write it in, or a directory");
    }
  }
  std::vector<ChipModel> chips;
  for (const std::string& chip : run.chips) chips.push_back(load_chip(chip));

  const examples::DigitData data = examples::load_digit_data(run.data);
  const examples::DigitWeights weights = examples::load_digit_weights(run.weights);
  const examples::DigitSet test = run.images == 0 ? data.test : data.test.first(run.images);
  const examples::DigitModels models = examples::prepare_digit_models(run.architecture, weights, data.train, run.percentile);

  std::vector<DigitVariantResult> results;
  for (const DigitRunSpec& spec : run_specs(run)) {
    results.push_back(evaluate_digit_variant(models, spec, test, chips, run.mode, &interrupt));
    if (results.back().chips.empty()) {
      throw InputError("tandem example digits: no chip of --chips '" + values["chips"].as<std::string>() +
                       "' can run the " + std::string(examples::to_string(spec.variant)) + " (" +
                       results.back().left_out.front() + ")");
    }
  }
  const std::vector<Row> rows = rows_of(results, run.mode);
  if (!run.out.empty()) {
    std::ofstream out(run.out, std::ios::trunc);
    for (const Row& row : rows) out << json_row(row) << "\n";
    if (!out) throw RunError("tandem example digits: writing '" + run.out + "' failed");
  }
  if (run.json) {
    for (const Row& row : rows) std::cout << json_row(row) << "\n";
    return exit_ok;
  }
  print_table(results, run, data, models.balance, test.size());
  print_goals(results);
  if (!run.out.empty()) std::cout << "rows: " << run.out << "\n";
  return exit_ok;
}

}  // namespace tandem::app
