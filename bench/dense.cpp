// `tandem bench dense`: ns per step of one square dense layer in the dense engine — always-on,
// zero-skip and delta, float32 and fixed point — against a plain Eigen GEMV of the same size,
// over layer sizes and input activities (fraction of inputs non-zero, or changed for delta).
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "bench/bench_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/random.hpp"

namespace tandem::bench {
namespace {

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

// Time spent per row, so the whole default run (3 sizes x 25 rows) stays well under a minute.
constexpr double row_seconds = 0.12;
// Distinct input vectors cycled through; ping-pong order keeps every step's change fraction.
constexpr std::size_t pool_size = 32;

struct Row {
  std::size_t size = 0;
  double activity = 0.0;
  std::string mode;
  std::string precision;
  double ns_per_step = 0.0;
  double effective_macs = 0.0;  // per step
};

template <typename T>
std::vector<T> parse_list(const std::string& text, const std::string& option) {
  std::vector<T> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    std::istringstream parse(item);
    T value{};
    if (!(parse >> value) || !parse.eof()) {
      throw InputError("tandem bench dense: --" + option + ": '" + item + "' is not a number");
    }
    values.push_back(value);
  }
  if (values.empty()) throw InputError("tandem bench dense: --" + option + " is empty");
  return values;
}

// `count` entries out of `size`, chosen at random.
std::vector<std::size_t> pick(std::size_t size, std::size_t count, RandomStream& random) {
  std::vector<std::size_t> all(size);
  for (std::size_t i = 0; i < size; ++i) all[i] = i;
  for (std::size_t i = 0; i < count; ++i) std::swap(all[i], all[i + random.below(size - i)]);
  all.resize(count);
  return all;
}

float nonzero_value(RandomStream& random) {
  const auto value = static_cast<float>(random.uniform(0.05, 1.0));
  return random.bernoulli(0.5) ? value : -value;
}

// Zero-skip inputs: exactly activity * n non-zero entries per vector.
std::vector<Eigen::VectorXf> sparse_pool(std::size_t n, std::size_t active, RandomStream& random) {
  std::vector<Eigen::VectorXf> pool;
  for (std::size_t k = 0; k < pool_size; ++k) {
    Eigen::VectorXf v = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(n));
    for (const std::size_t j : pick(n, active, random)) v[static_cast<Eigen::Index>(j)] = nonzero_value(random);
    pool.push_back(std::move(v));
  }
  return pool;
}

// Delta inputs: dense values; consecutive vectors differ in exactly activity * n entries.
std::vector<Eigen::VectorXf> changing_pool(std::size_t n, std::size_t changed, RandomStream& random) {
  std::vector<Eigen::VectorXf> pool{Eigen::VectorXf(static_cast<Eigen::Index>(n))};
  for (Eigen::Index j = 0; j < pool[0].size(); ++j) pool[0][j] = nonzero_value(random);
  while (pool.size() < pool_size) {
    Eigen::VectorXf v = pool.back();
    for (const std::size_t j : pick(n, changed, random)) {
      const auto index = static_cast<Eigen::Index>(j);
      float next = nonzero_value(random);
      while (next == v[index]) next = nonzero_value(random);
      v[index] = next;
    }
    pool.push_back(std::move(v));
  }
  return pool;
}

// The row's time is split into windows; the fastest window's ns per step is reported, which
// filters out interference from other processes on a shared machine. `work` runs some steps
// and returns how many.
template <typename Work>
double best_of_windows(Work work) {
  constexpr int windows = 5;
  double best = 0.0;
  for (int w = 0; w < windows; ++w) {
    std::size_t steps = 0;
    const auto start = Clock::now();
    double elapsed = 0.0;
    while (elapsed < row_seconds / windows) {
      steps += work();
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    const double ns = elapsed * 1e9 / static_cast<double>(steps);
    best = w == 0 ? ns : std::min(best, ns);
  }
  return best;
}

std::size_t ping_pong(std::size_t step) {
  const std::size_t period = 2 * (pool_size - 1);
  const std::size_t phase = step % period;
  return phase < pool_size ? phase : period - phase;
}

// Runs the engine in epochs of `batch` ticks, one input frame per tick, until row_seconds pass.
Row time_engine(ann::DenseEngine& engine, ExecutionMode mode, const std::vector<Eigen::VectorXf>& pool) {
  engine.reset(RunContext{.time = TimeBase(1.0), .seed = 1, .mode = mode});
  const std::size_t batch = 16;
  Mailbox inbox(engine.ports().size());
  Mailbox outbox(engine.ports().size());
  std::size_t steps = 0;
  Tick now = 0;
  const auto run_batch = [&] {
    inbox.clear();
    outbox.clear();
    for (std::size_t k = 0; k < batch; ++k) {
      inbox.port(0).frames.push_back(DenseFrame{now + static_cast<Tick>(k), pool[ping_pong(steps + k)]});
    }
    engine.advance(Epoch{now, now + static_cast<Tick>(batch)}, inbox, outbox);
    now += static_cast<Tick>(batch);
    steps += batch;
  };
  run_batch();  // warm-up: first touches of the weights, and the delta layer's first full send
  const OpCounts before = engine.counters()[1].executed;
  const std::size_t steps_before = steps;
  Row row;
  row.ns_per_step = best_of_windows([&] {
    run_batch();
    return batch;
  });
  const double timed_steps = static_cast<double>(steps - steps_before);
  row.effective_macs = static_cast<double>((engine.counters()[1].executed - before)[Op::mac]) / timed_steps;
  return row;
}

Row time_eigen(const Eigen::MatrixXf& weight, const std::vector<Eigen::VectorXf>& pool) {
  Eigen::VectorXf y(weight.rows());
  std::size_t steps = 0;
  float sink = 0.0f;
  Row row;
  row.ns_per_step = best_of_windows([&] {
    for (std::size_t k = 0; k < 16; ++k, ++steps) {
      y.noalias() = weight * pool[steps % pool.size()];
      sink += y[0];
    }
    return std::size_t{16};
  });
  if (sink == 12345.678f) std::cerr << "";  // keeps the products observable
  row.effective_macs = static_cast<double>(weight.size());
  return row;
}

void print(const Row& row, bool json, double always_on_ns) {
  if (json) {
    std::printf("{\"benchmark\":\"dense\",\"inputs\":%zu,\"outputs\":%zu,\"activity\":%g,\"mode\":\"%s\","
                "\"precision\":\"%s\",\"ns_per_step\":%.1f,\"effective_macs\":%.0f}\n",
                row.size, row.size, row.activity, row.mode.c_str(), row.precision.c_str(), row.ns_per_step,
                row.effective_macs);
    return;
  }
  const double speedup = always_on_ns > 0.0 ? always_on_ns / row.ns_per_step : 1.0;
  std::printf("%6zu %6zu %8.3f  %-9s  %-8s %14.1f %14.0f %9.2fx\n", row.size, row.size, row.activity, row.mode.c_str(),
              row.precision.c_str(), row.ns_per_step, row.effective_macs, speedup);
}

// A square ReLU layer with weights uniform in [-1, 1] / sqrt(n), the same for a given seed;
// fixed point is calibrated on a few dense random inputs.
ann::LayerGraph square_graph(std::size_t n, ann::EventKind kind, Precision precision, std::uint64_t seed) {
  RandomStream random(seed);
  ann::DenseLayerSpec layer;
  layer.name = "dense";
  layer.sources = {"in"};
  const auto size = static_cast<Eigen::Index>(n);
  const auto scale = 1.0 / std::sqrt(static_cast<double>(n));
  layer.weight.resize(size, size);
  for (Eigen::Index k = 0; k < layer.weight.size(); ++k) {
    layer.weight.data()[k] = static_cast<float>(random.uniform(-scale, scale));
  }
  layer.bias = Eigen::VectorXf::Constant(size, 0.01f);
  layer.activation.kind = ann::ActivationKind::relu;
  layer.event_kind = kind;
  ann::LayerGraph graph = ann::sequential("in", n, {std::move(layer)});
  if (precision == Precision::fixed) {
    ann::Batch calibration;
    calibration["in"] = Eigen::MatrixXf(size, 8);
    for (Eigen::Index k = 0; k < calibration["in"].size(); ++k) {
      calibration["in"].data()[k] = static_cast<float>(random.uniform(-1.0, 1.0));
    }
    ann::quantize(graph, calibration);
  }
  return graph;
}

}  // namespace

int run_dense_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench dense options");
  options.add_options()("help,h", "show this help")("json", "print one JSON object per row")(
      "sizes", po::value<std::string>()->default_value("256,1024,4096"), "square layer sizes, comma-separated")(
      "activity", po::value<std::string>()->default_value("0.01,0.1,0.5,1"),
      "fractions of inputs non-zero (zero-skip) or changed per step (delta)");
  po::variables_map values;
  if (!parse_bench_options("dense", args, options, "tandem bench dense [--json] [--sizes 256,1024,4096] [--activity 0.01,0.1,0.5,1]", "", values)) return exit_ok;
  const bool json = values.count("json") != 0;
  const auto sizes = parse_list<std::size_t>(values["sizes"].as<std::string>(), "sizes");
  const auto activities = parse_list<double>(values["activity"].as<std::string>(), "activity");
  for (const std::size_t size : sizes) {
    if (size == 0 || size > 16384) throw InputError("tandem bench dense: --sizes: " + std::to_string(size) + " is not in [1, 16384]");
  }
  for (const double activity : activities) {
    if (!(activity > 0.0 && activity <= 1.0)) {
      throw InputError("tandem bench dense: --activity: " + format_number(activity) + " is not in (0, 1]");
    }
  }
  if (!json) {
    std::printf("%6s %6s %8s  %-9s  %-8s %14s %14s %10s\n", "inputs", "outputs", "activity", "mode", "precision",
                "ns_per_step", "eff_macs", "vs_always");
  }
  RandomStream random(2024);
  for (const std::size_t n : sizes) {
    const std::uint64_t weight_seed = 17 + n;
    interrupt.check("timing dense layers of " + std::to_string(n));
    {
      const ann::LayerGraph graph = square_graph(n, ann::EventKind::zero_skip, Precision::float32, weight_seed);
      Row eigen = time_eigen(graph.layers().front().weight, sparse_pool(n, n, random));
      eigen.size = n;
      eigen.activity = 1.0;
      eigen.mode = "eigen";
      eigen.precision = "float32";
      print(eigen, json, 0.0);
    }
    for (const Precision precision : {Precision::float32, Precision::fixed}) {
      const ann::DenseEngineOptions engine_options{precision, false};
      ann::DenseEngine skip_engine("bench", square_graph(n, ann::EventKind::zero_skip, precision, weight_seed),
                                   engine_options);
      ann::DenseEngine delta_engine("bench", square_graph(n, ann::EventKind::delta, precision, weight_seed),
                                    engine_options);
      for (const double activity : activities) {
        interrupt.check("timing dense layers of " + std::to_string(n));
        const auto active =
            std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(activity * static_cast<double>(n))));
        const auto sparse = sparse_pool(n, active, random);
        const auto changing = changing_pool(n, active, random);
        Row always = time_engine(skip_engine, ExecutionMode::always_on, sparse);
        Row skip = time_engine(skip_engine, ExecutionMode::event, sparse);
        Row changed = time_engine(delta_engine, ExecutionMode::event, changing);
        always.mode = "always-on";
        skip.mode = "zero-skip";
        changed.mode = "delta";
        for (Row* row : {&always, &skip, &changed}) {
          row->size = n;
          row->activity = activity;
          row->precision = std::string(to_string(precision));
          print(*row, json, always.ns_per_step);
        }
      }
    }
  }
  return exit_ok;
}

}  // namespace tandem::bench
