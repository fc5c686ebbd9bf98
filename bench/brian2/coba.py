#!/usr/bin/python3
"""Brian2 peer of `tandem bench coba`: the Vogels-Abbott (2005) COBA network.

Brian2 C++ standalone, one thread. The equations are exactly those of the tandem benchmark:
  dv/dt  = ((V_rest - v) + V_drive + g_e*(E_exc - v) + g_i*(E_inh - v)) / tau_m  (unless refractory)
  dg_e/dt = -g_e / tau_exc,   dg_i/dt = -g_i / tau_inh        (g in units of the leak conductance)
  V_rest -60 mV, V_drive 20 mV, tau_m 20 ms, E_exc 0 mV, E_inh -80 mV, tau_exc 5 ms, tau_inh 10 ms
  spike when v > -50 mV; reset v = -60 mV; refractory 5 ms (v clamped, g keeps decaying)
  4000 neurons: 0..3199 excitatory (+0.6 to g_e), 3200..3999 inhibitory (+6.7 to g_i)
  each ordered pair (i != j) connected with probability 0.02; a spike in step t changes g before
  the update of step t+1 (tandem: delay 1 tick = 0.1 ms; here on_pre with delay 0, see below)
  v(0) uniform in [-60, -50] mV, g_e(0) = g_i(0) = 0; exponential Euler; dt 0.1 ms; 1 s.

Usage: /usr/bin/python3 bench/brian2/coba.py [--duration-ms T] [--dt-ms D] [--seed S] [--json]
"""

import standalone_peer as peer

N_NEURONS = 4000
N_EXC = 3200          # the first 80 % are excitatory (Vogels & Abbott 2005)
CONNECT_P = 0.02


def main():
    args = peer.parse_args("coba", __doc__.splitlines()[0])
    import brian2 as b2
    from brian2 import mV, ms

    peer.setup_device(b2, args.build_dir, args.dt_ms, args.seed)
    namespace = {
        "V_rest": -60 * mV, "V_drive": 20 * mV, "tau_m": 20 * ms,
        "E_exc": 0 * mV, "E_inh": -80 * mV, "tau_exc": 5 * ms, "tau_inh": 10 * ms,
        "V_thr": -50 * mV, "V_reset": -60 * mV, "w_exc": 0.6, "w_inh": 6.7,
        "N_exc": N_EXC,
    }
    equations = """
    dv/dt = ((V_rest - v) + V_drive + g_e*(E_exc - v) + g_i*(E_inh - v)) / tau_m : volt (unless refractory)
    dg_e/dt = -g_e / tau_exc : 1
    dg_i/dt = -g_i / tau_inh : 1
    """
    neurons = b2.NeuronGroup(N_NEURONS, equations, threshold="v > V_thr", reset="v = V_reset",
                             refractory=5 * ms, method="exponential_euler",
                             namespace=namespace, name="coba_neurons")
    neurons.v = "V_rest + rand() * (V_thr - V_rest)"
    neurons.g_e = 0
    neurons.g_i = 0

    # Subgroup sources: i counts from 0 within the subgroup, so the inhibitory condition adds
    # N_exc to compare with the target's global index j.
    # Delay 0 is tandem's delay of one tick: Brian2's schedule runs on_pre (slot `synapses`)
    # after the state update of the spiking step, so even delay 0 reaches the membrane in the next
    # step, where tandem adds input at t + delay before stepping t + delay. Brian2's delay 0.1 ms
    # would be tandem's 2 ticks (checked step by step; docs/performance.md).
    exc = b2.Synapses(neurons[:N_EXC], neurons, on_pre="g_e_post += w_exc",
                      delay=0 * ms, namespace=namespace, name="coba_exc")
    exc.connect(condition="i != j", p=CONNECT_P)
    inh = b2.Synapses(neurons[N_EXC:], neurons, on_pre="g_i_post += w_inh",
                      delay=0 * ms, namespace=namespace, name="coba_inh")
    inh.connect(condition="i + N_exc != j", p=CONNECT_P)
    spikes = b2.SpikeMonitor(neurons, record=False, name="coba_spikes")

    b2.run(args.duration_ms * ms)
    figures = peer.build_and_run(b2, args.build_dir)

    counts = spikes.count[:]
    exc_sources = exc.i[:]
    inh_sources = inh.i[:]
    synaptic_events = (peer.fan_out_events(counts[:N_EXC], exc_sources, N_EXC) +
                       peer.fan_out_events(counts[N_EXC:], inh_sources, N_NEURONS - N_EXC))
    record = peer.make_record("coba", args, N_NEURONS, len(exc_sources) + len(inh_sources),
                              int(counts.sum()), synaptic_events, figures)
    peer.print_record(record, args.json)


if __name__ == "__main__":
    main()
