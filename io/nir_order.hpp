// The order in which NIR's reference evaluates a graph's nodes every tick (docs/nir.md#semantics):
// depth-first over each node's sources, nodes taken in the graph's order (the file lists them by
// name). A source still being visited closes a loop: the edge from it is read one tick late. The
// lowering uses this to decide which edges arrive a tick later; the export to place its delays so
// that the lowering gives back the network's own.
#pragma once

#include <cstddef>
#include <vector>

#include "io/nir_graph.hpp"

namespace tandem::io {

struct NirOrder {
  std::vector<std::size_t> order;     // node indices, first evaluated first
  std::vector<std::size_t> position;  // index in `order` of each node
  // An edge source -> target whose source is evaluated no earlier than its target closes a loop:
  // the target reads the source's output of the previous tick.
  [[nodiscard]] bool reads_late(std::size_t source, std::size_t target) const { return position[source] >= position[target]; }
};

NirOrder nir_order(const std::vector<NirNode>& nodes);

}  // namespace tandem::io
