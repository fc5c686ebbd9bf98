#include "core/precision.hpp"

#include <array>

#include "core/error.hpp"

namespace tandem {

namespace {
constexpr std::array names{std::string_view{"float32"}, std::string_view{"fixed"}, std::string_view{"tianjic"},
                           std::string_view{"loihi"}};
}  // namespace

std::string_view to_string(Precision precision) { return names.at(static_cast<std::size_t>(precision)); }

std::optional<Precision> precision_from_name(std::string_view name) {
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return static_cast<Precision>(k);
  }
  return std::nullopt;
}

Precision parse_precision(std::string_view name, const std::string& where) {
  if (const auto precision = precision_from_name(name)) return *precision;
  throw InputError(where + ": unknown precision '" + std::string(name) + "' (float32, fixed, tianjic, loihi)");
}

}  // namespace tandem
