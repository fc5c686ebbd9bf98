#include "bench/benchmarks.hpp"

#include <array>

namespace tandem::bench {

// One declaration and one table line per benchmark.
int run_activity_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_rest_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_bridge_bench(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_dense_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_conv_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);

int run_brunel_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_coba_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_recording_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_cartpole_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt);

namespace {

constexpr std::array all_benchmarks = {
    Benchmark{"activity", "1 M lif neurons at 0.1/1/10/100 % activity: wall time per tick, event vs always-on", run_activity_benchmark},
    Benchmark{"bridge", "encoders/decoders on a sensor-like input, event vs always-on", run_bridge_bench},
    Benchmark{"dense", "dense layer ns/step: always-on, zero-skip, delta; float32, fixed; vs Eigen GEMV", run_dense_benchmark},
    Benchmark{"conv", "the NIR paper's CNN on 1/10 % input events: event vs always-on vs a dense reference", run_conv_benchmark},
    Benchmark{"brunel", "Brunel 2000 sparse LIF network with delta synapses (event engine)", run_brunel_benchmark},
    Benchmark{"coba", "Vogels-Abbott COBA network, 4000 conductance LIF neurons (event engine)", run_coba_benchmark},
    Benchmark{"recording", "COBA unrecorded vs all spikes vs v of N neurons to HDF5: recording overhead", run_recording_benchmark},
    Benchmark{"rest", "per model: largest effect of the snap to rest on v and on spikes (default tolerances vs none)", run_rest_benchmark},
    Benchmark{"cartpole", "closed loop: hybrid cart-pole controller + physics, us per control step", run_cartpole_benchmark},
};

}  // namespace

std::span<const Benchmark> benchmarks() { return all_benchmarks; }

}  // namespace tandem::bench
