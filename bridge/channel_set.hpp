// A set of channel indices kept as flags plus a list: marking is O(1) and visiting costs only
// the marked channels — the event path's "touch only what changed" in every bridge unit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tandem::bridge {

class ChannelSet {
 public:
  // Empties the set for `channels` channels (or fills it with all of them).
  void reset(std::size_t channels, bool all = false) {
    flags_.assign(channels, all ? 1 : 0);
    list_.clear();
    if (all) {
      for (std::size_t c = 0; c < channels; ++c) list_.push_back(static_cast<std::uint32_t>(c));
    }
  }
  // Adds `channel`; returns false when it was already in. Out of range throws std::out_of_range.
  bool insert(std::uint32_t channel) {
    if (flags_.at(channel) != 0) return false;
    flags_[channel] = 1;
    list_.push_back(channel);
    return true;
  }
  void clear() {
    for (const std::uint32_t c : list_) flags_[c] = 0;
    list_.clear();
  }
  // Removes the channels for which `remove(channel)` is true, keeping the others' order.
  template <typename Predicate>
  void erase_if(Predicate remove) {
    std::erase_if(list_, [&](std::uint32_t c) {
      if (!remove(c)) return false;
      flags_[c] = 0;
      return true;
    });
  }
  void sort() { std::sort(list_.begin(), list_.end()); }
  [[nodiscard]] const std::vector<std::uint32_t>& channels() const { return list_; }
  [[nodiscard]] std::size_t size() const { return list_.size(); }

 private:
  std::vector<std::uint8_t> flags_;
  std::vector<std::uint32_t> list_;  // in insertion order unless sorted
};

}  // namespace tandem::bridge
