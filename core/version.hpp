// tandem's version, set by CMake from project(VERSION) so there is one source of truth.
#pragma once

#include <string_view>

namespace tandem {

std::string_view version();

}  // namespace tandem
