"""tandem.Simulation: a network stepped from a Python loop (closed loops with Python environments)."""

from . import _tandem


class Simulation:
    """A run stepped from Python, made by Network.start().

    Each step() sends values to the network's external inputs at the current tick, runs
    ticks_per_step ticks (one epoch at a time, exactly as a whole run would) and returns the
    outputs. An environment written in Python closes the loop::

        with net.start(ticks_per_step=20) as sim:
            obs = env.reset()
            for _ in range(500):
                out = sim.step(inputs={"observation": obs})
                obs = env.step(out["policy"])
        print(sim.result.energy.table())

    Timing: values sent at tick t (the step's first tick) leave the external input at t and
    reach the nodes it feeds after their wire's latency (1 tick by default), as an observation
    of an environment engine does; an output's values are the last that arrived (1 tick after
    its node emitted them) up to the end of the step.

    Ctrl-C: during a long step (>= 1,000 ticks) the run stops after its current epoch and
    step() raises tandem.Interrupted (its .result holds what ran); otherwise the step finishes
    and KeyboardInterrupt arrives in your loop right after it: leaving a ``with`` block closes
    the trace with status "interrupted", or call finish() to keep it as complete.
    """

    def __init__(self, stepper, trace, record, scratch):
        self._stepper = stepper
        self._trace = trace
        self._record = record
        self._scratch = scratch
        self.result = None
        """The Result, once finish() or stop() ran (or the with block ended)."""

    @property
    def now(self):
        """The next tick to run (ticks run so far)."""
        return self._stepper.now

    @property
    def ticks_per_step(self):
        """Ticks one step() runs unless told otherwise."""
        return self._stepper.ticks_per_step

    @property
    def inputs(self):
        """{external input: width}: what step(inputs=...) takes."""
        return dict(self._stepper.inputs())

    @property
    def outputs(self):
        """{output: (kind, width)}: what step() returns; kind "values" or "spikes"."""
        return {name: (kind, width) for name, kind, width in self._stepper.outputs()}

    @property
    def finished(self):
        """True once the run's outputs are closed (finish(), stop(), an interruption)."""
        return self._stepper.finished

    def step(self, inputs=None, ticks=None):
        """Sends `inputs` ({external input: values}) at the current tick, runs `ticks` ticks
        (default ticks_per_step) and returns {output: values}: for a layer or decoder the last
        values that arrived (a float32 array; None before any), for a population the spikes that
        arrived during this step as (ticks, indices) arrays.

        Raises InputError for an unknown input or a wrong number of values, Interrupted when
        Ctrl-C stopped a long step (its .result holds what ran)."""
        try:
            return self._stepper.step(inputs, ticks)
        except _tandem.Interrupted as error:
            error.result = self._collect(self._stepper.finish())
            raise

    def send(self, input, values):
        """Sends values to an external input at the current tick without running."""
        self._stepper.send(input, values)

    def run(self, ticks):
        """Runs `ticks` ticks without sending anything; returns the outputs as step() does."""
        return self.step(None, ticks)

    def finish(self):
        """Ends the run: closes the trace (status "complete") and returns the Result (spikes,
        states and the energy report of what ran). Calling it again returns the same Result."""
        if self.result is None:
            self.result = self._collect(self._stepper.finish())
        return self.result

    def stop(self, reason="stopped by the program"):
        """Ends the run as interrupted: the trace's status is "interrupted" with `reason`, the
        energy reports are marked so. Returns the Result."""
        if self.result is None:
            self.result = self._collect(self._stepper.stop(reason))
        return self.result

    def _collect(self, reports):
        from .network import _result
        if self.result is not None:
            return self.result
        try:
            self.result = _result(self._trace, reports, self._record)
        finally:
            self._scratch.close()
        return self.result

    def _bench_cpp_steps(self, inputs):
        """One step per row of {input: array [steps x width]}, run by a C++ loop
        (bench/python/step_overhead.py)."""
        return self._stepper.run_steps_in_cpp(inputs)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if self.result is not None:
            return False
        if kind is None:
            self.finish()
        elif issubclass(kind, KeyboardInterrupt):
            self.stop(f"interrupted by KeyboardInterrupt after {self.now} ticks")
        else:
            self.stop(f"stopped by {kind.__name__}: {error} after {self.now} ticks")
        return False

    def __del__(self):
        # A run dropped without finish(): its trace is closed as interrupted, its scratch removed.
        try:
            if getattr(self, "result", True) is None:
                self.stop("the Simulation was discarded without finish()")
        except Exception:  # noqa: BLE001 (nothing can be raised from a finaliser)
            pass

    def __repr__(self):
        state = "finished" if self.finished else "running"
        return f"tandem.Simulation(now={self.now}, ticks_per_step={self.ticks_per_step}, {state})"

