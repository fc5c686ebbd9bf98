// `--config FILE`: INI options merged under the command line, unknown keys refused by line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "app/cli_options.hpp"
#include "core/error.hpp"

using namespace tandem::app;

namespace {

std::string write_config(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("tandem_cfg_" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path.string();
}

po::options_description run_like_options() {
  po::options_description options("options");
  options.add_options()
    ("ticks", po::value<long>(), "ticks")
    ("seed", po::value<long>()->default_value(1), "seed")
    ("mode", po::value<std::string>()->default_value("event"), "mode")
    ("set", po::value<std::vector<std::string>>()->composing(), "overrides");
  add_common_options(options);
  return options;
}

po::variables_map parse(const std::vector<std::string>& args) {
  po::variables_map values;
  const po::positional_options_description none;
  REQUIRE(parse_command_line("run", args, run_like_options(), none, {"tandem run", "", ""}, values));
  return values;
}

}  // namespace

TEST_CASE("config file: fills options the command line did not give", "[io][cli]") {
  const auto file = write_config("fill.ini", "# a run\nticks = 250\nseed=9\n[unused_section_free]\n");
  // A section prefixes its keys; this one has none, so it is harmless.
  const auto values = parse({"--config", file, "--log-level", "warn"});
  CHECK(values["ticks"].as<long>() == 250);
  CHECK(values["seed"].as<long>() == 9);             // replaces the default
  CHECK(values["mode"].as<std::string>() == "event");  // default kept
  std::filesystem::remove(file);
}

TEST_CASE("config file: the command line wins", "[io][cli]") {
  const auto file = write_config("win.ini", "ticks = 250\nmode = always-on\n");
  const auto values = parse({"--ticks", "40", "--config", file, "--log-level", "warn"});
  CHECK(values["ticks"].as<long>() == 40);
  CHECK(values["mode"].as<std::string>() == "always-on");
  std::filesystem::remove(file);
}

TEST_CASE("config file: repeated options compose with the command line's", "[io][cli]") {
  const auto file = write_config("set.ini", "set = simulation.seed=3\n");
  const auto values = parse({"--config", file, "--log-level", "warn"});
  CHECK(values["set"].as<std::vector<std::string>>() == std::vector<std::string>{"simulation.seed=3"});
  std::filesystem::remove(file);
}

TEST_CASE("config file: unknown keys and bad lines name the file and line", "[io][cli]") {
  const auto typo = write_config("typo.ini", "ticks = 10\n\n  tiks = 20\n");
  po::variables_map values;
  REQUIRE_THROWS_WITH(merge_config_file(typo, run_like_options(), values),
                      typo + ":3: unknown option 'tiks' (keys are the long option names, see --help)");
  const auto junk = write_config("junk.ini", "ticks 10\n");
  REQUIRE_THROWS_WITH(merge_config_file(junk, run_like_options(), values), Catch::StartsWith(junk + ":1: "));
  const auto bad_value = write_config("value.ini", "ticks = many\n");
  REQUIRE_THROWS_WITH(merge_config_file(bad_value, run_like_options(), values),
                      Catch::StartsWith(bad_value + ": ") && Catch::Contains("ticks"));
  REQUIRE_THROWS_AS(merge_config_file("/no/such/file.ini", run_like_options(), values), tandem::InputError);
  for (const auto& file : {typo, junk, bad_value}) std::filesystem::remove(file);
}
