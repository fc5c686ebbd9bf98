"""From `import tandem` to a raster and an energy comparison (docs/python.md walks through it).

Loads the hybrid demo network (Poisson input -> LIF population -> rate decoder -> dense layer),
runs it on two chips and in both execution modes, prints the energy tables side by side and
saves two plots: the spike raster with the membrane potential, and the energy per chip.

    /usr/bin/python3 examples/python/quickstart.py [--out out/quickstart]
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files, no window: runs the same on a server and in CI
import matplotlib.pyplot as plt  # noqa: E402

import tandem  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "networks", "hybrid_demo.yaml")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join("out", "quickstart"), help="folder for the plots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    net = tandem.load(DEMO)
    print(net, "- chips:", ", ".join(c["name"] for c in tandem.chips()))

    # One run per chip: the same seed gives the same spikes, priced on each chip's costs.
    runs = {chip: net.run(ticks=1000, chip=chip, seed=42) for chip in ("tianjic", "loihi2")}
    always_on = net.run(ticks=1000, chip="tianjic", seed=42, mode="always-on")
    tianjic = runs["tianjic"]
    print(tianjic.energy.table())
    print(tandem.energy.compare([tianjic, runs["loihi2"], always_on],
                                labels=["tianjic", "loihi2", "tianjic-on"]))

    # Raster and membrane potential (the file probes exc.v of units 0-2 every tick).
    ticks, indices = tianjic.spikes("exc")
    v = tianjic.state("exc", "v")
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 5))
    top.plot(ticks * tianjic.dt_ms, indices, "|", markersize=8)
    top.set_ylabel("neuron")
    top.set_title(f"exc: {len(ticks)} spikes in {tianjic.ticks * tianjic.dt_ms:.0f} ms")
    bottom.plot(tianjic.state_ticks("exc", "v") * tianjic.dt_ms, v)
    bottom.set_xlabel("time (ms)")
    bottom.set_ylabel("v (mV)")
    figure.tight_layout()
    raster = os.path.join(args.out, "raster.png")
    figure.savefig(raster, dpi=100)

    # Energy per chip, event-driven beside always-on (the report's dynamic energy).
    labels = ["tianjic", "loihi2"]
    event = [runs[c].energy["total"]["energy_j"]["dynamic"] * 1e9 for c in labels]
    clocked = [runs[c].energy["total"]["always_on_energy_j"]["dynamic"] * 1e9 for c in labels]
    figure, axes = plt.subplots(figsize=(5, 4))
    positions = range(len(labels))
    axes.bar([p - 0.2 for p in positions], event, width=0.4, label="event")
    axes.bar([p + 0.2 for p in positions], clocked, width=0.4, label="always-on")
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("dynamic energy (nJ)")
    axes.set_yscale("log")
    axes.set_title("1 s of the demo network")
    axes.legend()
    figure.tight_layout()
    bars = os.path.join(args.out, "energy.png")
    figure.savefig(bars, dpi=100)
    print("plots:", raster, bars)


if __name__ == "__main__":
    main()
