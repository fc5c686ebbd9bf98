// NIR IF (non-leaky integrate-and-fire):  dv/dt = R·I  (per ms; I: `i_ext` held over the tick),
// values on `v` add after the step; v > v_th → reset (to value or subtract), refractory clamp.
// Every v below threshold is a fixed point (except −0.0, which a +0.0 input turns into +0.0).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct IfNeuron {
  static constexpr std::string_view name = "if";
  struct Parameters {
    double r_mohm = 1.0;
    double v_threshold_mv = 1.0;
    double v_reset_mv = 0.0;
    double refractory_ms = 0.0;
    ResetMode reset_mode = ResetMode::to_value;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"r_mohm", &Parameters::r_mohm}, Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms}};
  struct Constants {
    float dt_r;  // dt·R
    SpikeRule spike;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}};
  using State = ModelState<1>;
  // Without input, any v at or below threshold stays as it is: a neuron given input at rest is
  // back at rest after its step unless it spiked into refractoriness or a reset above threshold
  // (neurons/population.hpp steps such neurons in place).
  static constexpr bool rests_after_input = true;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_finite(name, "r_mohm", p.r_mohm);
    return {static_cast<float>(time.dt_ms() * p.r_mohm),
            make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) { s.var[0][i] = c.spike.v_reset; }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    const float v = s.var[0][i];
    return s.refractory_left[i] == 0 && !(v > c.spike.v_threshold) && !same_bits(v, -0.0F);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    float& v = s.var[0][i];
    if (s.refractory_left[i] > 0) {
      --s.refractory_left[i];
      return false;
    }
    v = v + c.dt_r * in[1] + in[0];
    return c.spike.fire(v, s.refractory_left[i]);
  }
};

}  // namespace tandem::neurons
