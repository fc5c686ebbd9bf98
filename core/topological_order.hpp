// A stable topological order, shared by the dense layer graph (layers after their sources) and
// the Simulation (engines after the sources of their same-tick wires).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace tandem {

struct TopologicalOrder {
  std::vector<std::size_t> order;     // every item placed, each after all its predecessors
  std::vector<bool> placed;           // per item; an item left unplaced lies on or behind a cycle
  [[nodiscard]] bool complete() const { return order.size() == placed.size(); }
};

// Orders items 0..n-1 so that for every edge (before, after) `before` comes first. Kahn's
// algorithm always taking the lowest-numbered ready item, so items no edge constrains keep their
// numbering order. When edges form a cycle, the order stops short (complete() is false).
inline TopologicalOrder stable_topological_order(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  std::vector<std::size_t> waiting_on(n, 0);
  for (const auto& edge : edges) ++waiting_on[edge.second];
  TopologicalOrder result{{}, std::vector<bool>(n, false)};
  while (result.order.size() < n) {
    std::size_t next = n;
    for (std::size_t i = 0; i < n && next == n; ++i) {
      if (!result.placed[i] && waiting_on[i] == 0) next = i;
    }
    if (next == n) break;
    result.placed[next] = true;
    result.order.push_back(next);
    for (const auto& edge : edges) {
      if (edge.first == next) --waiting_on[edge.second];
    }
  }
  return result;
}

}  // namespace tandem
