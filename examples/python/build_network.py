"""Building networks in code: the hybrid demo network file rebuilt call by call (same spikes as the
file), then a network whose weights are numpy arrays, saved as a network file for `tandem run`.

    /usr/bin/python3 examples/python/build_network.py [--out out/build_network]
"""

import argparse
import os

import numpy as np

import tandem

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "networks", "hybrid_demo.yaml")


def hybrid_demo():
    """examples/networks/hybrid_demo.yaml, one add_* call per entry."""
    net = tandem.Network(dt_ms=1.0, name="hybrid demo", seed=42, mode="event", chip="tianjic", duration_ms=500)
    net.add_input("drive", "poisson", 20, rate_hz=40.0)
    net.add_population("exc", "lif", 8,
                       parameters={"tau_m_ms": 20.0, "v_leak_mv": -65.0, "v_reset_mv": -65.0,
                                   "v_threshold_mv": -50.0, "refractory_ms": 2.0},
                       reset="value", initial={"v": -65.0})
    net.add_projection("drive_to_exc", "drive", "exc", receptor="v", rule="fixed_probability", p=0.5,
                       weights=2.5, delays=1.0)
    net.add_bridge("exc_rate", "rate_decoder", "exc", output="readout", window_ticks=20,
                   parameters={"value_min": 0.0, "value_max": 1.0})
    weights = np.array([[0.5] * 4 + [-0.5] * 4, [-0.5] * 4 + [0.5] * 4])  # size x fan-in (2 x 8)
    net.add_layer("readout", ["exc_rate"], 2, weights=weights, bias=[0.0, 0.0], activation="relu",
                  precision="float32", event={"kind": "delta", "threshold": 0.01}, period_ticks=20)
    net.output("readout")
    net.probe("exc", "spikes")
    net.probe("exc", "v", units=[0, 1, 2], every_ticks=1)
    net.probe("readout", "activations", every_ticks=20)
    return net


def random_network(seed=3):
    """200 input spike trains onto 100 excitatory and 25 inhibitory LIF neurons, all-to-all with
    weight matrices drawn here, and a readout of the excitatory rates."""
    rng = np.random.default_rng(seed)
    lif = {"tau_m_ms": 20.0, "v_leak_mv": -65.0, "v_reset_mv": -65.0, "v_threshold_mv": -50.0,
           "refractory_ms": 2.0}
    net = tandem.Network(dt_ms=1.0, name="random")
    net.add_input("drive", "poisson", 200, rate_hz=20.0)
    net.add_population("exc", "lif", 100, parameters=lif,
                       initial={"v": {"distribution": "uniform", "low": -65.0, "high": -50.0}})
    net.add_population("inh", "lif", 25, parameters=lif, initial={"v": -65.0})
    net.add_projection("drive_exc", "drive", "exc", weights=rng.uniform(0.0, 1.2, (200, 100)))  # [source x target]
    net.add_projection("exc_inh", "exc", "inh", weights=rng.uniform(0.0, 1.0, (100, 25)))
    net.add_projection("inh_exc", "inh", "exc", weights=-rng.uniform(0.0, 2.0, (25, 100)))
    net.add_bridge("rates", "rate_decoder", "exc", window_ticks=50, parameters={"value_max": 5.0})
    net.add_layer("readout", "rates", 3, weights=rng.normal(0.0, 0.3, (3, 100)), activation="relu", period_ticks=50)
    return net


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join("out", "build_network"), help="folder for the network file")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    built = hybrid_demo().run()
    loaded = tandem.load(DEMO).run()
    same = all(np.array_equal(a, b) for a, b in zip(built.spikes("exc"), loaded.spikes("exc")))
    print(f"hybrid demo built in Python: {len(built.spikes('exc')[0])} spikes, the same as the file's: {same}")
    print(f"energy: {built.energy['total']['energy_j']['total']:.6g} J built, "
          f"{loaded.energy['total']['energy_j']['total']:.6g} J from the file")

    net = random_network()
    net.check()
    result = net.run(ticks=1000, seed=1, chip="loihi2")
    rates = result.rates_hz("exc", 100)
    print(f"random network: mean exc rate {rates.mean():.1f} Hz, inh {result.rates_hz('inh', 25).mean():.1f} Hz")
    path = os.path.join(args.out, "random.yaml")
    net.to_yaml(path)
    again = tandem.load(path).run(ticks=1000, seed=1, chip="loihi2")
    print(f"written to {path}; loaded back it gives the same spikes: "
          f"{np.array_equal(again.spikes('exc')[0], result.spikes('exc')[0])}")


if __name__ == "__main__":
    main()
