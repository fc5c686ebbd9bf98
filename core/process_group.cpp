#include "core/process_group.hpp"

#include <stdexcept>

namespace tandem {

OwnedBlock ProcessGroup::block_of(const std::string& name, std::size_t n, std::size_t rank) const {
  if (blocks_.empty()) return owned_block(n, rank, size());
  const auto found = blocks_.find(name);
  if (found == blocks_.end() || found->second.size() != size() || rank >= size()) {
    throw std::logic_error("process blocks: no block of population '" + name + "' for rank " + std::to_string(rank) +
                           " of " + std::to_string(size()));
  }
  // Contiguous and in rank order, covering the population: the exchange relies on it.
  const std::vector<OwnedBlock>& blocks = found->second;
  for (std::size_t r = 0; r < blocks.size(); ++r) {
    const std::size_t expected_begin = r == 0 ? 0 : blocks[r - 1].end;
    if (blocks[r].begin != expected_begin || blocks[r].end < blocks[r].begin || (r + 1 == blocks.size() && blocks[r].end != n)) {
      throw std::logic_error("process blocks of population '" + name + "' (" + std::to_string(n) +
                             " neurons) are not contiguous in rank order");
    }
  }
  return blocks[rank];
}

}  // namespace tandem
