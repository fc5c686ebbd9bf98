// One `tandem tianjic run` case per primitive: read the case document (its schema is in
// docs/tianjic.md), run the kernel, return the output document. `root` is the whole case.
#pragma once

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/op_counts.hpp"

namespace tandem::tianjic {

// {"steps": [{"out", "V", "ref_cnt", "Vtheta"}, …]}
nlohmann::ordered_json run_lif_case(const JsonReader& root, OpCounts& executed);
// {"out": […]} for each of these.
nlohmann::ordered_json run_vector_matrix_case(const JsonReader& root, OpCounts& executed);
nlohmann::ordered_json run_cut_case(const JsonReader& root, OpCounts& executed);
nlohmann::ordered_json run_relu_case(const JsonReader& root, OpCounts& executed);
nlohmann::ordered_json run_lookup_case(const JsonReader& root, OpCounts& executed);

}  // namespace tandem::tianjic
