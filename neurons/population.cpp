#include "neurons/population.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace tandem::neurons {

namespace {
// Index of the entry named `wanted` in a receptor or variable list, or an InputError listing them.
template <typename Item>
std::size_t index_by_name(std::span<const Item> list, std::string_view wanted, const std::string& population,
                          std::string_view model, std::string_view kind, std::string_view known_label,
                          std::string_view none) {
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (list[k].name == wanted) return k;
  }
  std::string known;
  for (const auto& item : list) known += (known.empty() ? "" : ", ") + std::string(item.name);
  throw InputError("population '" + population + "' (" + std::string(model) + "): unknown " + std::string(kind) +
                   " '" + std::string(wanted) + "' (" + std::string(known_label) + ": " +
                   (known.empty() ? std::string(none) : known) + ")");
}
}  // namespace

bool cpu_has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has;
#else
  return false;
#endif
}

std::vector<QuantisedParameter> PopulationBase::set_input_scale(double /*scale*/) {
  throw InputError("population '" + name_ + "' (" + std::string(model_name()) + "): float32 has no integer scale");
}

std::size_t PopulationBase::receptor_index(std::string_view receptor) const {
  return index_by_name(receptors(), receptor, name_, model_name(), "receptor", "accepts", "none");
}

std::size_t PopulationBase::variable_index(std::string_view variable) const {
  return index_by_name(variables(), variable, name_, model_name(), "variable", "recordable", "spikes only");
}

void PopulationBase::set_initial(std::string_view variable, std::vector<float> values) {
  const std::size_t index = variable_index(variable);
  if (values.size() != size_ && values.size() != 1) {
    throw InputError("population '" + name_ + "': initial " + std::string(variable) + " has " +
                     std::to_string(values.size()) + " values for " + std::to_string(size_) + " neurons");
  }
  for (const float value : values) {
    if (!std::isfinite(value)) throw InputError("population '" + name_ + "': initial " + std::string(variable) + " is not finite");
  }
  if (values.size() == 1) values.assign(size_, values[0]);
  initializers_.push_back({index, std::move(values)});
}

void PopulationBase::set_initial_uniform(std::string_view variable, double low, double high) {
  const std::size_t index = variable_index(variable);
  if (!std::isfinite(low) || !std::isfinite(high) || high < low) {
    throw InputError("population '" + name_ + "': initial " + std::string(variable) + " range [" +
                     format_number(low) + ", " + format_number(high) + ") is not a finite interval");
  }
  initializers_.push_back({index, {}, low, high});
}

void PopulationBase::graded_events(Tick /*tick*/, std::vector<std::uint32_t>& indices, std::vector<float>& values) const {
  indices.clear();
  values.clear();
  const std::span<const float> state = this->values(graded_variable_);
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (state[i] != 0.0F) {
      indices.push_back(static_cast<std::uint32_t>(i));
      values.push_back(state[i]);
    }
  }
}

void PopulationBase::configure_slots(std::size_t slots) {
  slots_ = std::max<std::size_t>(slots, 1);
  ring_.clear();
  for (const Receptor& receptor : receptors()) ring_.emplace_back((receptor.is_current ? 1 : slots_) * size_, 0.0F);
  noted_.assign(slots_, {});
  for (NeuronSet& set : noted_) set.resize(size_);
  noted_all_.assign(slots_, 0);
}

std::size_t PopulationBase::append_flagged(const std::uint32_t* flags, std::size_t n, std::uint32_t* fired) {
  std::size_t count = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const std::uint32_t any =
        (flags[i] | flags[i + 1]) | (flags[i + 2] | flags[i + 3]) | (flags[i + 4] | flags[i + 5]) | (flags[i + 6] | flags[i + 7]);
    if (any == 0) continue;
    for (std::size_t k = i; k < i + 8; ++k) {
      fired[count] = static_cast<std::uint32_t>(k);
      count += flags[k];
    }
  }
  for (; i < n; ++i) {
    fired[count] = static_cast<std::uint32_t>(i);
    count += flags[i];
  }
  return count;
}

void PopulationBase::reset(std::uint64_t seed) {
  if (ring_.size() != receptors().size() || slots_ == 0) configure_slots(std::max<std::size_t>(slots_, 1));
  for (auto& row : ring_) std::fill(row.begin(), row.end(), 0.0F);
  for (NeuronSet& set : noted_) set.clear();
  std::fill(noted_all_.begin(), noted_all_.end(), 0);
  noting_ = true;
  reset_state();
  for (const auto& init : initializers_) {
    const auto target = mutable_values(init.variable);
    if (!init.values.empty()) {
      std::copy(init.values.begin(), init.values.end(), target.begin());
    } else {
      RandomStream random =
          RandomStream::derived(seed, name_ + ".initial." + std::string(variables()[init.variable].name));
      for (float& value : target) value = static_cast<float>(random.uniform(init.low, init.high));
    }
  }
  reset_sources(seed);
  after_reset();
  // A block of a population takes the full loop over its neurons (step()): announcing inputs
  // would only cost, and two threads could announce neurons of one word of the active set.
  if (owns_part()) stop_noting();
}

}  // namespace tandem::neurons
