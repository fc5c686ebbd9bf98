#include "examples/digits/digits_networks.hpp"

#include <algorithm>

#include "ann/convolution.hpp"
#include "ann/dense_engine.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "core/external_engine.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/if_neuron.hpp"
#include "neurons/projection.hpp"

// Timing of one inference (dt 1 ms, every wire 1 tick; the image is queued at tick 0):
//   ann     tick 0: the image leaves the (off-chip) input -> dense engine at tick 1, where every
//           layer runs once (period 2, phase 1) in topological order; 2 ticks.
//   snn     tick 1: the rate encoder (window T, phase 1) samples the image and sends pixel p's
//           round(x_p T) spikes, evenly spread, at ticks 1 … T -> relays at 2 … T+1; relays,
//           IF layers and the readout pass spikes on within the tick (same-tick projections),
//           so the last input spike is integrated at tick T+1; T+2 ticks. The input is set to 0
//           at tick T so the encoder's next window (tick T+1) sends nothing.
//   hybrid  as snn up to the first IF layer; its spikes (ticks 2 … T+1) reach the count decoder
//           at 3 … T+2 (window T, phase 3), whose rates leave at T+2 and reach the dense head at
//           T+3, which runs once there (period T+4, phase T+3), in the run's precision; T+4 ticks.
// Neuron state starts at rest for every image (each inference is its own Simulation).

namespace tandem::examples {

namespace names = digit_names;

std::string_view to_string(DigitArchitecture architecture) {
  return architecture == DigitArchitecture::mlp ? "mlp" : "cnn";
}

std::string_view to_string(DigitVariant variant) {
  switch (variant) {
    case DigitVariant::ann: return "ann";
    case DigitVariant::snn: return "snn";
    case DigitVariant::hybrid: return "hybrid";
  }
  return "?";
}

DigitArchitecture parse_digit_architecture(const std::string& text) {
  if (text == "mlp") return DigitArchitecture::mlp;
  if (text == "cnn") return DigitArchitecture::cnn;
  throw InputError("--network '" + text + "': expected mlp or cnn");
}

namespace {

constexpr std::size_t mlp_hidden = 64;
constexpr std::size_t cnn_channels = 8;
constexpr std::size_t conv_outputs = cnn_channels * digit_side * digit_side;  // 512
constexpr std::size_t pooled_outputs = cnn_channels * 4 * 4;                   // 128

ConvolutionShape conv_shape() {
  ConvolutionShape shape;
  shape.in_channels = 1;
  shape.in_height = shape.in_width = digit_side;
  shape.out_channels = cnn_channels;
  shape.kernel_height = shape.kernel_width = 3;
  shape.padding_height = shape.padding_width = 1;
  return shape;
}

ConvolutionShape pool_shape() { return pooling_shape(cnn_channels, digit_side, digit_side, 2, 2, 2, 2, 0, 0, "pool"); }

std::vector<float> row_major(const Eigen::MatrixXf& matrix, double scale = 1.0) {
  std::vector<float> values;
  values.reserve(static_cast<std::size_t>(matrix.size()));
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    for (Eigen::Index c = 0; c < matrix.cols(); ++c) values.push_back(static_cast<float>(matrix(r, c) * scale));
  }
  return values;
}

ann::DenseLayerSpec dense(const std::string& name, const std::string& source, const Eigen::MatrixXf& weight,
                          double scale, ann::ActivationKind activation) {
  ann::DenseLayerSpec layer = ann::make_dense_layer(
      name, {source}, static_cast<std::size_t>(weight.rows()), static_cast<std::size_t>(weight.cols()),
      row_major(weight, scale), std::vector<float>(static_cast<std::size_t>(weight.rows()), 0.0F));
  layer.activation.kind = activation;
  return layer;
}

// The ANN from `source` on, as a graph whose input is `source` (the image, or the hybrid's rates);
// `first_scale` multiplies the weights of the first layer after it (the hybrid's lambda).
void add_ann_layers(ann::LayerGraph& graph, DigitArchitecture architecture, const DigitWeights& weights,
                    bool from_hidden, double first_scale) {
  const std::string in = from_hidden ? "rates" : names::input;
  if (architecture == DigitArchitecture::mlp) {
    if (!from_hidden) graph.add_layer(dense("fc1", in, weights.mlp_fc1, 1.0, ann::ActivationKind::relu));
    graph.add_layer(dense(names::readout, from_hidden ? in : "fc1", weights.mlp_fc2, first_scale,
                          ann::ActivationKind::identity));
    return;
  }
  if (!from_hidden) {
    ann::Activation relu;
    relu.kind = ann::ActivationKind::relu;
    graph.add_layer(ann::make_convolution_layer("conv", {in}, conv_shape(), weights.cnn_conv,
                                                std::vector<float>(cnn_channels, 0.0F), relu));
  }
  graph.add_layer(ann::make_pooling_layer("pool", {from_hidden ? in : "conv"}, pool_shape(), PoolKind::average));
  graph.add_layer(dense(names::readout, "pool", weights.cnn_fc, first_scale, ann::ActivationKind::identity));
}

// Every layer of `graph` runs at tick `tick` and not again within `run_ticks` ticks.
void run_once_at(ann::LayerGraph& graph, Tick tick, Tick run_ticks) {
  std::vector<std::string> layers;
  for (const ann::DenseLayerSpec& layer : graph.layers()) layers.push_back(layer.name);
  for (const std::string& name : layers) {
    graph.layer(name).period_ticks = run_ticks;
    graph.layer(name).phase_ticks = tick;
  }
}

std::string first_hidden(DigitArchitecture architecture) {
  return architecture == DigitArchitecture::mlp ? "fc1" : "conv";
}
std::size_t first_hidden_size(DigitArchitecture architecture) {
  return architecture == DigitArchitecture::mlp ? mlp_hidden : conv_outputs;
}

// The readout's weights from the last spiking layer: the CNN's average pooling and fc fold into
// one linear map 512 -> 10 (both are linear), so the readout integrates it directly.
Eigen::MatrixXf readout_weights(const DigitModels& models) {
  if (models.architecture == DigitArchitecture::mlp) return models.weights.mlp_fc2;
  Eigen::MatrixXf folded = Eigen::MatrixXf::Zero(static_cast<Eigen::Index>(digit_classes),
                                                 static_cast<Eigen::Index>(conv_outputs));
  for (std::size_t c = 0; c < cnn_channels; ++c) {
    for (std::size_t r = 0; r < digit_side; ++r) {
      for (std::size_t col = 0; col < digit_side; ++col) {
        const auto from = static_cast<Eigen::Index>((c * digit_side + r) * digit_side + col);
        const auto pooled = static_cast<Eigen::Index>((c * 4 + r / 2) * 4 + col / 2);
        folded.col(from) = models.weights.cnn_fc.col(pooled) / 4.0F;
      }
    }
  }
  return folded;
}

// All-to-all, passed on within the tick; `weight` is [targets x sources].
neurons::ProjectionSpec matrix_projection(const std::string& name, const std::string& source,
                                          const std::string& target, const Eigen::MatrixXf& weight, double scale) {
  neurons::ProjectionSpec spec{.name = name, .source = source, .target = target, .receptor = "v",
                               .rule = neurons::Rule::all_to_all};
  spec.same_tick = true;
  // CSR order: sources ascending, then targets ascending.
  spec.weights = row_major(weight.transpose(), scale);
  return spec;
}

// Rate encoder -> relays -> first IF layer: what the snn and the hybrid share.
void add_spiking_front(Simulation& simulation, neurons::EventEngine& snn, std::vector<std::unique_ptr<bridge::Unit>>& units,
                       const DigitModels& models, Tick ticks) {
  units.push_back(bridge::make_rate_encoder(
      {.name = names::encoder, .channels = digit_pixels, .window = {ticks, 1}, .range = {0.0, 1.0}}));
  neurons::IfNeuron::Parameters relay;  // one spike per arriving spike, in its arrival tick
  relay.v_threshold_mv = 1.0;
  snn.add_population<neurons::IfNeuron>(names::relays, digit_pixels, relay);
  snn.add_spike_input_port(names::input, names::relays, "v", 1.5F);
  neurons::IfNeuron::Parameters hidden;  // threshold 1 on balanced weights, reset by subtraction
  hidden.v_threshold_mv = 1.0;
  hidden.reset_mode = neurons::ResetMode::subtract;
  const std::string layer = first_hidden(models.architecture);
  snn.add_population<neurons::IfNeuron>(layer, first_hidden_size(models.architecture), hidden);
  const double scale = models.balance.weight_scales.front();
  if (models.architecture == DigitArchitecture::mlp) {
    snn.connect(matrix_projection("input_" + layer, names::relays, layer, models.weights.mlp_fc1, scale));
  } else {
    std::vector<float> kernel = models.weights.cnn_conv;
    for (float& w : kernel) w = static_cast<float>(w * scale);
    neurons::ProjectionSpec conv = neurons::make_convolution_projection("input_" + layer, names::relays, layer, "v",
                                                                        conv_shape(), std::move(kernel));
    conv.same_tick = true;
    snn.connect(std::move(conv));
  }
  simulation.connect({{names::image, names::image}, {names::bridge, std::string(names::encoder) + ".in"}, 1});
  simulation.connect({{names::bridge, std::string(names::encoder) + ".out"}, {names::spiking, names::input}, 1});
}

}  // namespace

DigitModels prepare_digit_models(DigitArchitecture architecture, const DigitWeights& weights, const DigitSet& train,
                                 double percentile) {
  DigitModels models;
  models.architecture = architecture;
  models.weights = weights;
  models.graph.add_input(names::input, digit_pixels);
  add_ann_layers(models.graph, architecture, weights, false, 1.0);
  models.graph.finalize();
  const ann::Batch calibration{{names::input, train.images}};
  for (const Precision precision : {Precision::fixed, Precision::tianjic}) {
    ann::LayerGraph quantised = models.graph;
    ann::quantize(quantised, calibration, precision);
    models.quantised.emplace(precision, std::move(quantised));
  }
  models.balance = balance_thresholds(models.graph, calibration, {first_hidden(architecture)}, percentile);

  // The hybrid's head reads rates (spikes per tick) of the first layer; its first weights carry
  // lambda back. Integer heads are calibrated on the rates the training images would give at
  // large T: the ANN's activations / lambda, clipped to the one spike per tick a neuron can fire.
  ann::LayerGraph head;
  head.add_input("rates", first_hidden_size(architecture));
  add_ann_layers(head, architecture, weights, true, models.balance.readout_scale);
  head.finalize();
  const Eigen::MatrixXf rates =
      (models.graph.forward(calibration).at(first_hidden(architecture)) / static_cast<float>(models.balance.lambdas.front()))
          .cwiseMax(0.0F)
          .cwiseMin(1.0F);
  for (const Precision precision : {Precision::fixed, Precision::tianjic}) {
    ann::LayerGraph quantised = head;
    ann::quantize(quantised, ann::Batch{{"rates", rates}}, precision);
    models.heads.emplace(precision, std::move(quantised));
  }
  models.heads.emplace(Precision::float32, std::move(head));
  return models;
}

Tick build_digit_inference(Simulation& simulation, const DigitModels& models, const DigitRunSpec& spec) {
  simulation.add(std::make_unique<ExternalEngine>(
      names::image, std::vector<ExternalInput>{{names::image, digit_pixels}}, std::vector<ExternalOutput>{}));

  if (spec.variant == DigitVariant::ann) {
    ann::LayerGraph graph = spec.precision == Precision::float32 ? models.graph : models.quantised.at(spec.precision);
    run_once_at(graph, 1, 2);
    simulation.add(std::make_unique<ann::DenseEngine>(names::dense, std::move(graph),
                                                      ann::DenseEngineOptions{spec.precision}));
    simulation.connect({{names::image, names::image}, {names::dense, names::input}, 1});
    return 2;
  }

  if (spec.ticks < 1) throw InputError("digits: the " + std::string(to_string(spec.variant)) + " needs T >= 1 ticks");
  if (spec.variant == DigitVariant::snn && spec.precision != Precision::float32) {
    throw InputError("digits: the snn runs in float32 only");
  }
  const Tick t = spec.ticks;
  auto snn = std::make_unique<neurons::EventEngine>(names::spiking, simulation.settings().time);
  std::vector<std::unique_ptr<bridge::Unit>> units;
  add_spiking_front(simulation, *snn, units, models, t);
  const std::string hidden = first_hidden(models.architecture);
  const std::size_t hidden_size = first_hidden_size(models.architecture);

  if (spec.variant == DigitVariant::snn) {
    neurons::IfNeuron::Parameters integrator;  // the readout integrates and never fires
    integrator.v_threshold_mv = 1e30;
    snn->add_population<neurons::IfNeuron>(names::readout, digit_classes, integrator);
    snn->connect(matrix_projection(hidden + "_" + names::readout, hidden, names::readout, readout_weights(models),
                                   models.balance.readout_scale));
    simulation.add(std::move(snn));
    simulation.add(std::make_unique<bridge::BridgeEngine>(names::bridge, std::move(units)));
    return t + 2;
  }

  units.push_back(bridge::make_count_decoder(
      {.name = names::decoder, .channels = hidden_size, .window = {t, 3}, .range = {0.0, 1.0}}));
  ann::LayerGraph head = models.heads.at(spec.precision);
  run_once_at(head, t + 3, t + 4);
  simulation.add(std::move(snn));
  simulation.add(std::make_unique<bridge::BridgeEngine>(names::bridge, std::move(units)));
  simulation.add(std::make_unique<ann::DenseEngine>(names::dense, std::move(head), ann::DenseEngineOptions{spec.precision}));
  simulation.connect({{names::spiking, hidden + ".spikes"}, {names::bridge, std::string(names::decoder) + ".in"}, 1});
  simulation.connect({{names::bridge, std::string(names::decoder) + ".out"}, {names::dense, "rates"}, 1});
  return t + 4;
}

void queue_digit_image(Simulation& simulation, const DigitRunSpec& spec, const Eigen::VectorXf& image) {
  auto& input = dynamic_cast<ExternalEngine&>(simulation.engine(names::image));
  input.send(0, 0, std::vector<float>(image.data(), image.data() + image.size()));
  // The image goes away after its window, so the encoder's next window (tick T+1) sends nothing.
  if (spec.variant != DigitVariant::ann) input.send(0, spec.ticks, std::vector<float>(digit_pixels, 0.0F));
}

std::size_t digit_decision(const Simulation& simulation, const DigitRunSpec& spec) {
  std::vector<float> scores(digit_classes);
  if (spec.variant == DigitVariant::snn) {
    const auto& snn = dynamic_cast<const neurons::EventEngine&>(simulation.engine(names::spiking));
    const neurons::PopulationBase& readout = snn.population(names::readout);
    const std::span<const float> v = readout.values(readout.variable_index("v"));
    scores.assign(v.begin(), v.end());
  } else {
    const auto& dense = dynamic_cast<const ann::DenseEngine&>(simulation.engine(names::dense));
    const Eigen::VectorXf& out = dense.output(names::readout);
    scores.assign(out.data(), out.data() + out.size());
  }
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace tandem::examples
