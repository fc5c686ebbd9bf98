#include "io/nir_order.hpp"

namespace tandem::io {

NirOrder nir_order(const std::vector<NirNode>& nodes) {
  NirOrder result;
  result.position.resize(nodes.size());
  // 0: not visited, 1: on the stack (its sources being visited), 2: placed.
  std::vector<int> mark(nodes.size(), 0);
  const auto visit = [&](const auto& self, std::size_t i) -> void {
    if (mark[i] != 0) return;
    mark[i] = 1;
    for (const auto s : nodes[i].sources) self(self, s);
    mark[i] = 2;
    result.position[i] = result.order.size();
    result.order.push_back(i);
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) visit(visit, i);
  return result;
}

}  // namespace tandem::io
