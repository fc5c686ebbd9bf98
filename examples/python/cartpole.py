"""The cart-pole closed loop of `tandem example cartpole`, with the environment written in Python.

The controller is the example's hybrid network, built here in code: the bridge's delta encoder
turns each change of the observation by 1/32 of its range into an on or off spike, afferents
relay the spikes to LIF neurons, the delta decoder integrates them back into values and a dense
policy layer turns those into the force. The cart-pole is a Gym-style Python class (the physics
of environments/cartpole/cartpole.cpp, the same random streams through tandem.RandomStream),
stepped every 20 ms; the network runs 20 ticks of 1 ms per control step via Simulation.step.

For the same seed it balances the same episodes for the same number of steps as
`tandem example cartpole` (tests/python/test_closed_loop.py checks it, step by step).

    /usr/bin/python3 examples/python/cartpole.py --episodes 20 --seed 1 [--no-pushes] [--chip loihi2]
"""

import argparse
import math
import os
import sys
import time

import numpy as np

import tandem

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = os.path.join(HERE, "..", "cartpole", "weights.h5")  # the trained policy layer (/policy)


class CartPole:
    """Gym CartPole-v1 with seeded pushes, exactly as tandem's C++ environment steps it."""

    gravity, cart_mass, pole_mass, half_length, force = 9.8, 1.0, 0.1, 0.5, 10.0
    tau, x_limit, start_range, max_steps = 0.02, 2.4, 0.05, 500
    theta_limit = 12.0 * 2.0 * math.pi / 360.0

    def __init__(self, pushes=True, push_probability=0.02, push_force=20.0):
        self.push_probability = push_probability if pushes else 0.0
        self.push_force = push_force if pushes else 0.0

    def reset(self, seed):
        """Starts an episode; the start state and the pushes derive from `seed` alone."""
        start = tandem.RandomStream.derived(seed, "cartpole/start")
        r = self.start_range
        self.state = [start.uniform(-r, r) for _ in range(4)]
        self.pushes = tandem.RandomStream.derived(seed, "cartpole/push")
        self.steps = 0
        self.failed = self._out_of_bounds()
        return np.array(self.state)

    @property
    def done(self):
        return self.failed or self.steps >= self.max_steps

    def step(self, action):
        """One 20 ms step with the controller's action (its sign: +-10 N) and maybe a push."""
        force = self.force if action > 0.0 else -self.force
        if self.push_probability > 0.0 and self.pushes.bernoulli(self.push_probability):
            force += self.push_force if self.pushes.bernoulli(0.5) else -self.push_force
        x, x_dot, theta, theta_dot = self.state
        total_mass = self.cart_mass + self.pole_mass
        pole_mass_length = self.pole_mass * self.half_length
        cos_theta, sin_theta = math.cos(theta), math.sin(theta)
        temp = (force + pole_mass_length * theta_dot * theta_dot * sin_theta) / total_mass
        theta_acc = (self.gravity * sin_theta - cos_theta * temp) / (
            self.half_length * (4.0 / 3.0 - self.pole_mass * cos_theta * cos_theta / total_mass))
        x_acc = temp - pole_mass_length * theta_acc * cos_theta / total_mass
        self.state = [x + self.tau * x_dot, x_dot + self.tau * x_acc,
                      theta + self.tau * theta_dot, theta_dot + self.tau * theta_acc]
        self.steps += 1
        self.failed = self._out_of_bounds()
        return np.array(self.state)

    def _out_of_bounds(self):
        x, _, theta, _ = self.state
        return not abs(x) <= self.x_limit or not abs(theta) <= self.theta_limit


def controller(ticks_per_step=20, weights=WEIGHTS):
    """The example's hybrid controller (examples/hybrid_controller.hpp) as a tandem.Network."""
    scale = [2.4, 2.0, 0.21, 2.0]  # x, x_dot, theta, theta_dot: the range a balancing controller visits
    step = 1.0 / 32.0              # the delta code's threshold, in units of each value's scale
    relay = {"tau_m_ms": 20.0, "v_threshold_mv": 1.0, "v_reset_mv": 0.0}
    net = tandem.Network(dt_ms=1.0, name="cartpole controller")
    net.add_input("cartpole", "external", 4)   # the observation, sent by the Python loop
    net.add_bridge("encoder", "delta_encoder", "cartpole", output="afferent",
                   parameters={"thresholds": [step * s for s in scale], "weight": 1.5})
    net.add_population("afferent", "lif", 8, parameters=relay)
    net.add_population("lif", "lif", 8, parameters=relay)
    net.add_projection("afferent_to_lif", "afferent", "lif", rule="one_to_one", weights=1.5, delays=1.0)
    net.add_bridge("decoder", "delta_decoder", "lif", parameters={"threshold": step})
    net.add_layer("policy", "decoder", 1, weights={"file": weights, "group": "/policy"},
                  period_ticks=ticks_per_step, phase_ticks=ticks_per_step - 2)
    net.output("policy")
    return net


def run(episodes=100, seed=1, pushes=True, chip="tianjic", mode="event", record=None, on_step=None,
        environment=None):
    """Balances `episodes` episodes; returns (steps per episode, successes, tandem Result).

    record: a trace file (the LIF spikes), None (a temporary one) or False (none, the fastest);
    on_step(environment, action): called after every control step; environment: a CartPole
    (default: with the default pushes unless pushes=False)."""
    environment = environment if environment is not None else CartPole(pushes=pushes)
    net = controller()
    steps, successes = [], 0
    episode = 0
    observation = environment.reset(tandem.episode_seed(seed, 0))
    action = 0.0  # in force before the policy's first output, as in the C++ environment
    with net.start(ticks_per_step=20, chip=chip, mode=mode, seed=seed, record=record,
                   probes=["lif.spikes"] if record is not False else None) as sim:
        while True:
            out = sim.step(inputs={"cartpole": observation})
            if out["policy"] is not None:
                action = float(out["policy"][0])
            if on_step is not None:
                on_step(environment, action)
            if environment.done:  # the next step tick starts the next episode
                steps.append(environment.steps)
                successes += not environment.failed
                episode += 1
                if episode == episodes:
                    break
                observation = environment.reset(tandem.episode_seed(seed, episode))
            else:
                observation = environment.step(action)
    return steps, successes, sim.result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-pushes", action="store_true")
    parser.add_argument("--chip", default="tianjic")
    parser.add_argument("--mode", default="event")
    parser.add_argument("--record", default=None, help="keep the trace (HDF5) here")
    args = parser.parse_args()
    started = time.perf_counter()
    steps, successes, result = run(args.episodes, args.seed, not args.no_pushes, args.chip, args.mode,
                                   args.record if args.record else False)
    wall = time.perf_counter() - started
    print("episode steps:", end="")
    for k, count in enumerate(steps):
        print(("\n  " if k % 20 == 0 else " ") + str(count), end="")
    print()
    print(f"balanced {successes}/{args.episodes} episodes (pushes {'off' if args.no_pushes else 'on'}, ±10 N actions, "
          f"mode {args.mode}, precision float32, seed {args.seed})")
    total = result.energy["total"]
    control_steps = sum(steps)
    print(f"energy on {result.energy['chip']['name']}: {total['energy_j']['dynamic'] / control_steps:.3g} J dynamic per control step "
          f"(always-on {total['always_on_energy_j']['dynamic'] / control_steps:.3g} J)")
    print(f"{control_steps} control steps in {wall:.2f} s ({1e6 * wall / control_steps:.1f} us per step, Python physics "
          "included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
