#!/usr/bin/python3
"""Brian2 peer of `tandem bench brunel`: Brunel (2000) model A, as NEST's brunel_delta example.

Brian2 C++ standalone, one thread. The equations are exactly those of the tandem benchmark:
  dv/dt = -v / tau_m  (unless refractory), tau_m 20 ms, V_rest 0; method exact
  spike when v > theta = 20 mV; reset v = 0 mV; refractory 2 ms (v clamped, and inputs
  arriving during refractoriness are dropped: every increment is multiplied by not_refractory)
  NE 10000 excitatory, NI 2500 inhibitory; fixed in-degree: every neuron receives exactly
  C_E = 1000 excitatory and C_I = 250 inhibitory synapses, sources drawn uniformly at random
  with replacement (multapses allowed) but never the neuron itself
  delta synapses: an excitatory spike adds J = 0.1 mV, an inhibitory one -g*J (g = 5), delay 1.5 ms
  external drive: independent Poisson input per neuron, N = 1000 sources at 20 Hz = 20 kHz,
  weight J (eta = 2: nu_ext = eta * nu_th, nu_th = theta / (J * C_E * tau_m) = 10 Hz per source)
  v(0) uniform in [0, 20) mV; dt 0.1 ms; 1 s.

Usage: /usr/bin/python3 bench/brian2/brunel.py [--duration-ms T] [--dt-ms D] [--seed S] [--json]
"""

import numpy as np

import standalone_peer as peer

N_EXC = 10000
N_INH = 2500
C_EXC = 1000          # in-degree from the excitatory population (10 % of NE)
C_INH = 250           # in-degree from the inhibitory population (10 % of NI)
N_EXTERNAL = 1000     # Poisson sources per neuron, as many as C_E (Brunel 2000)
EXTERNAL_RATE_HZ = 20.0   # eta * nu_th = 2 * 10 Hz


def fixed_in_degree_sources(rng, first_source, n_sources, in_degree, n_targets):
    """Source indices for `in_degree` synapses onto each target, never the target itself.

    Returns (sources, targets), target-major. Drawing from n_sources - 1 candidates and
    shifting every draw at or above the target's own position by one is uniform over all
    sources except the target (multapses stay possible, as in NEST's fixed_indegree).
    """
    targets = np.repeat(np.arange(n_targets, dtype=np.int64), in_degree)
    own = targets - first_source            # the target's position within the source range
    is_member = (own >= 0) & (own < n_sources)
    draws = rng.integers(0, n_sources - 1, size=targets.size)
    full_range = rng.integers(0, n_sources, size=targets.size)
    local = np.where(is_member, draws + (draws >= own), full_range)
    return (first_source + local).astype(np.int32), targets.astype(np.int32)


def main():
    args = peer.parse_args("brunel", __doc__.splitlines()[0])
    import brian2 as b2
    from brian2 import Hz, mV, ms

    peer.setup_device(b2, args.build_dir, args.dt_ms, args.seed)
    n_neurons = N_EXC + N_INH
    j_mv = 0.1
    g_ratio = 5.0
    namespace = {"tau_m": 20 * ms, "theta": 20 * mV, "V_reset": 0 * mV,
                 "J": j_mv * mV, "J_inh": -g_ratio * j_mv * mV}
    neurons = b2.NeuronGroup(n_neurons, "dv/dt = -v / tau_m : volt (unless refractory)",
                             threshold="v > theta", reset="v = V_reset", refractory=2 * ms,
                             method="exact", namespace=namespace, name="brunel_neurons")
    neurons.v = "rand() * theta"

    # The weights are constants of each projection (as in NEST's example), so Brian2 stores
    # no per-synapse weight; the best case for its memory per synapse.
    rng = np.random.default_rng(args.seed)
    exc = b2.Synapses(neurons, neurons, on_pre="v_post += J * int(not_refractory_post)",
                      delay=1.5 * ms, namespace=namespace, name="brunel_exc")
    sources, targets = fixed_in_degree_sources(rng, 0, N_EXC, C_EXC, n_neurons)
    exc.connect(i=sources, j=targets)
    inh = b2.Synapses(neurons, neurons, on_pre="v_post += J_inh * int(not_refractory_post)",
                      delay=1.5 * ms, namespace=namespace, name="brunel_inh")
    sources, targets = fixed_in_degree_sources(rng, N_EXC, N_INH, C_INH, n_neurons)
    inh.connect(i=sources, j=targets)
    del sources, targets
    # PoissonInput takes no namespace, so the weight expression spells J out (mV is a unit
    # Brian2 always knows). It must stay referenced: run() collects only live objects.
    external = b2.PoissonInput(neurons, "v", N=N_EXTERNAL, rate=EXTERNAL_RATE_HZ * Hz,
                               weight=f"{j_mv} * mV * int(not_refractory)")
    spikes = b2.SpikeMonitor(neurons, record=False, name="brunel_spikes")

    b2.run(args.duration_ms * ms)
    del external
    figures = peer.build_and_run(b2, args.build_dir)

    counts = spikes.count[:]
    exc_sources = exc.i[:]
    inh_sources = inh.i[:]
    if len(exc_sources) != C_EXC * n_neurons or len(inh_sources) != C_INH * n_neurons:
        raise RuntimeError("brunel: Brian2 created a different number of synapses than requested")
    synaptic_events = (peer.fan_out_events(counts, exc_sources, n_neurons) +
                       peer.fan_out_events(counts, inh_sources, n_neurons))
    record = peer.make_record("brunel", args, n_neurons, len(exc_sources) + len(inh_sources),
                              int(counts.sum()), synaptic_events, figures)
    peer.print_record(record, args.json)


if __name__ == "__main__":
    main()
