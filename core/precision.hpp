// The arithmetic a node computes in (docs/precision.md): float32, the reference; fixed, generic
// int8 weights and int32 sums; tianjic, Tianjic's primitives bit for bit (docs/tianjic.md);
// loihi, Loihi's fixed-point LIF as Lava's bit-accurate model defines it. Like Lava's one process
// with several process models: the same node, the same engine, other kernels.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tandem {

enum class Precision { float32, fixed, tianjic, loihi };

std::string_view to_string(Precision precision);
// "float32", "fixed", "tianjic" or "loihi"; nothing for any other name.
std::optional<Precision> precision_from_name(std::string_view name);
// As precision_from_name, or InputError "<where>: unknown precision '<name>' (float32, fixed, tianjic, loihi)".
Precision parse_precision(std::string_view name, const std::string& where);

}  // namespace tandem
