#include "bridge/unit_kinds.hpp"

#include <cmath>

#include "bridge/delta_coding.hpp"
#include "bridge/dense_passthrough.hpp"
#include "bridge/dvs_encoder.hpp"
#include "bridge/exponential_decoder.hpp"
#include "bridge/poisson_encoder.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"

namespace tandem::bridge {

namespace {

Window window_of(const UnitRequest& request, UnitSettings& settings) {
  return {request.window_ticks, static_cast<Tick>(settings.number("phase_ticks", 0.0))};
}

ValueRange range_of(UnitSettings& settings) {
  return {settings.number("value_min", 0.0), settings.number("value_max", 1.0)};
}

PopulationCode code_of(UnitSettings& settings) {
  PopulationCode code;
  code.neurons_per_channel = static_cast<std::size_t>(settings.number("neurons_per_channel", 8.0));
  code.range = range_of(settings);
  code.sigma = settings.number("sigma", code.spacing());
  return code;
}

std::size_t divided(const UnitRequest& request, UnitSettings& settings, std::size_t by) {
  if (by == 0 || request.input_width % by != 0) {
    settings.reject_input("input width " + std::to_string(request.input_width) + " is not a multiple of " +
                          std::to_string(by));
  }
  return request.input_width / by;
}

WindowedParams windowed(const UnitRequest& request, UnitSettings& settings) {
  return {request.name, request.input_width, window_of(request, settings), range_of(settings)};
}

AffineParams affine(const UnitRequest& request, UnitSettings& settings) {
  const double gain = settings.number("gain", 1.0);
  return {request.name, request.input_width, gain, settings.number("offset", 0.0)};
}

// `threshold` (one for all), or `thresholds` (one per channel); `channels`: the first values of
// the input that are encoded (default: all of them, the rest are neither read nor counted).
DeltaEncoderParams delta_encoder_params(const UnitRequest& request, UnitSettings& settings, DeltaOutput output) {
  const double threshold = settings.number("threshold", 0.1);
  const double channels = settings.number("channels", static_cast<double>(request.input_width));
  if (!(channels >= 1.0) || channels != static_cast<double>(static_cast<std::size_t>(channels)) ||
      channels > static_cast<double>(request.input_width)) {
    settings.reject_input("channels must be a whole number from 1 to the input width " +
                          std::to_string(request.input_width) + ", got " + format_number(channels));
  }
  return {.name = request.name, .channels = static_cast<std::size_t>(channels), .threshold = threshold,
          .thresholds = settings.numbers("thresholds"), .output = output, .input_width = request.input_width};
}

// Grey levels in (one per pixel); `refractory_ticks` must be a whole number.
DvsEncoderParams dvs_params(const UnitRequest& request, UnitSettings& settings) {
  const double refractory = settings.number("refractory_ticks", 0.0);
  if (!(refractory >= 0.0) || refractory != std::floor(refractory) || refractory > 1e9) {
    settings.reject_input("refractory_ticks must be a whole number >= 0, got " + format_number(refractory));
  }
  return {.name = request.name, .pixels = request.input_width, .threshold = settings.number("threshold", 0.2),
          .refractory_ticks = static_cast<Tick>(refractory), .noise_rate_hz = settings.number("noise_rate_hz", 0.0),
          .epsilon = settings.number("epsilon", 0.1)};
}

}  // namespace

const std::vector<UnitKind>& unit_kinds() {
  using R = const UnitRequest&;
  using S = UnitSettings&;
  static const std::vector<UnitKind> kinds = {
      {"rate_encoder", "value -> spikes per window", [](R r, S s) { return make_rate_encoder(windowed(r, s)); }},
      {"poisson_encoder", "value -> Poisson spikes",
       [](R r, S s) {
         const auto range = range_of(s);
         return make_poisson_encoder({r.name, r.input_width, range, s.number("max_rate_hz", 100.0)});
       }},
      {"latency_encoder", "value -> one spike, earlier when larger",
       [](R r, S s) { return make_latency_encoder(windowed(r, s)); }},
      {"population_encoder", "value -> Gaussian tuning curves",
       [](R r, S s) {
         const auto window = window_of(r, s);
         return make_population_encoder({r.name, r.input_width, window, code_of(s)});
       }},
      {"delta_encoder", "value change -> on/off spikes",
       [](R r, S s) { return make_delta_encoder(delta_encoder_params(r, s, DeltaOutput::on_off_spikes)); }},
      {"delta_encoder_graded", "value change -> graded spike",
       [](R r, S s) { return make_delta_encoder(delta_encoder_params(r, s, DeltaOutput::graded)); }},
      {"dvs_encoder", "grey levels -> ON/OFF events on log-intensity change (event camera)",
       [](R r, S s) { return make_dvs_encoder(dvs_params(r, s)); }},
      {"current_injection", "value -> current", [](R r, S s) { return make_current_injection(affine(r, s)); }},
      {"population_current", "value -> tuning-curve currents",
       [](R r, S s) {
         const auto code = code_of(s);
         return make_population_current({r.name, r.input_width, code, s.number("gain", 1.0)});
       }},
      {"count_decoder", "spikes per window -> value", [](R r, S s) { return make_count_decoder(windowed(r, s)); }},
      {"rate_decoder", "spikes per window -> value (the count decoder)",
       [](R r, S s) { return make_count_decoder(windowed(r, s)); }},
      {"exponential_decoder", "spikes -> exponentially filtered value",
       [](R r, S s) {
         const double tau_ms = s.number("tau_ms", 20.0);
         const auto window = window_of(r, s);
         return make_exponential_decoder({r.name, r.input_width, tau_ms, window, range_of(s)});
       }},
      {"first_spike_decoder", "first spike time in a window -> value",
       [](R r, S s) { return make_first_spike_decoder(windowed(r, s)); }},
      {"population_decoder", "tuning-curve spikes -> value",
       [](R r, S s) {
         const auto window = window_of(r, s);
         const auto code = code_of(s);
         return make_population_decoder({r.name, divided(r, s, code.neurons_per_channel), window, code});
       }},
      {"delta_decoder", "on/off spikes -> value",
       [](R r, S s) { return make_delta_decoder({r.name, divided(r, s, 2), s.number("threshold", 0.1)}); }},
      {"membrane_readout", "membrane -> value", [](R r, S s) { return make_membrane_readout(affine(r, s)); }},
  };
  return kinds;
}

const UnitKind* find_unit_kind(std::string_view name) {
  for (const UnitKind& kind : unit_kinds()) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

}  // namespace tandem::bridge
