#!/usr/bin/python3
"""Runs one spiking network on SANA-FE and on tandem side by side and compares their figures.

The network (issue #12's): 4,000 Loihi-style leaky integrate-and-fire neurons, 3,200 excitatory
and 800 inhibitory, each ordered pair connected with probability 0.02 (seed 1 gives 320,933
synapses), every neuron driven by its own constant bias, 1 ms steps, placed on 4 cores (1,000
neurons each, on SANA-FE's tile 0). One seeded generator writes it for both tools:

  SANA-FE   sanafe/net.yaml            groups, sparse hyperedges, mappings (its YAML format)
  tandem    tandem/net.yaml + net.h5   populations, explicit projections from HDF5

Both run one-threaded, one after the other; wall time and peak RSS are measured on the same
runs (the child's rusage, as /usr/bin/time -v reports it). The table gives energy per step,
chip time per step, spikes, synaptic events, neuron updates, messages, wall time and memory,
with tandem/SANA-FE ratios; the same goes to DIR/compare.json. Without --sanafe only the
tandem side runs.

Usage: /usr/bin/python3 bench/sanafe/compare.py [--sanafe DIR|SIM] [--tandem PATH]
           [--steps 1000] [--seed 1] [--out DIR] [--chip NAME] [--sanafe-timing simple]
           [--tandem-mapping pinned|own] [--biased-fraction 1.0]
See bench/sanafe/README.md for building SANA-FE and what each figure means.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ----------------------------------------------------------------------------------------
# The network. Everything both tools are given comes from make_network().
# ----------------------------------------------------------------------------------------

N_EXC = 3200
N_INH = 800
CONNECTION_PROBABILITY = 0.02
CORES = (0, 1, 2, 3)          # tandem core indices = SANA-FE cores 0.0 .. 0.3 (one tile)
TAU_M_MS = 20.0
DT_MS = 1.0
THRESHOLD_MV = 20.0
RESET_MV = 0.0
REFRACTORY_TICKS = 2          # SANA-FE refractory_delay 2 == tandem refractory_ms 2 (1 ms tick)
J_EXC_MV = 0.5                # excitatory PSP (mV)
G_INH = 5.0                   # inhibitory PSP = -G_INH * J_EXC_MV
V_INF_RANGE = (0.9, 1.2)      # each neuron's bias drives v towards U(0.9, 1.2) x threshold
# SANA-FE's Loihi soma truncates v to multiples of 1/64 after the leak (Loihi's fixed point).
# Its potentials are written as tandem's mV x 64, so that step is 1/4096 mV (0.24 uV), under
# tandem's rest tolerance (1 uV): the truncation then hardly moves a spike.
SANAFE_UNITS_PER_MV = 64.0


def make_network(seed, biased_fraction=1.0):
    """The whole network as arrays; the same seed gives the same network on both sides.

    The draw order is fixed: the 4000 x 4000 connection mask first (seed 1: 320,933
    synapses, the issue's network), then each neuron's drive, then its initial potential,
    then (only when biased_fraction < 1) which neurons lose their bias.
    """
    import numpy as np

    n = N_EXC + N_INH
    rng = np.random.default_rng(seed)
    mask = rng.random((n, n)) < CONNECTION_PROBABILITY       # [pre, post]
    np.fill_diagonal(mask, False)
    pre, post = np.nonzero(mask)                              # row-major: pre ascending
    del mask
    v_inf_mv = rng.uniform(V_INF_RANGE[0], V_INF_RANGE[1], n) * THRESHOLD_MV
    threshold_units = THRESHOLD_MV * SANAFE_UNITS_PER_MV
    # Whole SANA-FE units (multiples of 1/64 mV), so its first-step quantisation is exact.
    v0_units = np.floor(rng.uniform(0.0, 1.0, n) * threshold_units)
    if biased_fraction < 1.0:
        v_inf_mv[rng.random(n) >= biased_fraction] = 0.0
    decay = math.exp(-DT_MS / TAU_M_MS)
    return {
        "seed": seed, "n": n, "pre": pre.astype(np.int64), "post": post.astype(np.int64),
        "v_inf_mv": v_inf_mv, "v0_units": v0_units, "decay": decay,
        # SANA-FE: v <- trunc64(decay * v) + bias + input, so bias = (1 - decay) * v_inf.
        "bias_units": (1.0 - decay) * v_inf_mv * SANAFE_UNITS_PER_MV,
    }


def groups():
    """(name, first global index, size) of each population, in index order."""
    return (("exc", 0, N_EXC), ("inh", N_EXC, N_INH))


def projection_blocks(net):
    """{(src, dst): (pre local, post local, weight mV)} for the four projections."""
    blocks = {}
    for src, src_start, src_size in groups():
        weight = J_EXC_MV if src == "exc" else -G_INH * J_EXC_MV
        from_src = (net["pre"] >= src_start) & (net["pre"] < src_start + src_size)
        for dst, dst_start, dst_size in groups():
            sel = from_src & (net["post"] >= dst_start) & (net["post"] < dst_start + dst_size)
            blocks[(src, dst)] = (net["pre"][sel] - src_start, net["post"][sel] - dst_start, weight)
    assert sum(len(b[0]) for b in blocks.values()) == len(net["pre"])
    return blocks


def core_slices(size):
    """The units of a population of `size` on each core: even split in order (tandem's rule)."""
    base, extra = divmod(size, len(CORES))
    slices, start = [], 0
    for i, core in enumerate(CORES):
        count = base + (1 if i < extra else 0)
        slices.append((core, start, start + count))
        start += count
    return slices


def write_sanafe_network(net, path):
    """SANA-FE's YAML: two groups (per-neuron bias and potential), four sparse hyperedges,
    and the mapping of each group spread evenly over cores 0.0-0.3 (tile 0)."""
    threshold = THRESHOLD_MV * SANAFE_UNITS_PER_MV
    lines = ["network:", "  name: random_4000", "  groups:"]
    for name, start, size in groups():
        lines += [
            f"    - name: {name}",
            f"      attributes: {{soma: {{threshold: {threshold!r}, reset: {RESET_MV!r}, "
            f"reset_mode: hard, leak_decay: {net['decay']!r}, "
            f"refractory_delay: {REFRACTORY_TICKS}}}}}",
            "      neurons:"]
        for i in range(size):
            g = start + i
            lines.append(f"        - {i}: {{soma: {{bias: {float(net['bias_units'][g])!r}, "
                         f"potential: {float(net['v0_units'][g])!r}}}}}")
    lines.append("  edges:")
    for (src, dst), (pre, post, weight) in projection_blocks(net).items():
        w = weight * SANAFE_UNITS_PER_MV
        pairs = ", ".join(f"[{a}, {b}]" for a, b in zip(pre.tolist(), post.tolist()))
        weights = ", ".join([repr(w)] * len(pre))
        lines += [f"    - {src} -> {dst}:",
                  "        type: sparse",
                  f"        source_target_pairs: [{pairs}]",
                  f"        weight: [{weights}]"]
    lines.append("mappings:")
    for name, _, size in groups():
        for core, first, last in core_slices(size):
            lines.append(f"  - {name}.{first}..{last - 1}: [core: 0.{core}]")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_tandem_network(net, directory, steps, chip, pinned):
    """tandem's YAML (populations, bias currents, explicit projections) and net.h5 (pairs,
    per-neuron bias). Returns the YAML path. `pinned`: both populations on CORES through a
    top-level `placement: {exc: [...], inh: [...]}`; else tandem maps them itself."""
    import h5py
    import numpy as np

    h5_path = os.path.join(directory, "net.h5")
    blocks = projection_blocks(net)
    with h5py.File(h5_path, "w") as f:
        for (src, dst), (pre, post, _) in blocks.items():
            f[f"/{src}_{dst}/pairs"] = np.stack([pre, post], axis=1).astype(np.int64)
        for name, start, size in groups():
            f[f"/bias/{name}"] = net["v_inf_mv"][start:start + size].astype(np.float64)
    lines = ["# Written by bench/sanafe/compare.py: the network SANA-FE runs, for tandem.",
             "simulation:",
             f"  dt_ms: {DT_MS!r}",
             f"  ticks: {steps}",
             f"  seed: {net['seed']}",
             "  mode: event",
             f"  chip: {chip}",
             "inputs:"]
    for name, _, size in groups():
        # lif with R = 1: v <- v_inf + (v - v_inf) * decay, v_inf = I, i.e. decay*v + bias.
        lines.append(f"  bias_{name}: {{kind: current, size: {size}, "
                     f"value: {{file: net.h5, dataset: /bias/{name}}}}}")
    lines.append("populations:")
    for name, start, size in groups():
        # SANA-FE does not leak on the first step: start tandem at v0 / decay so that its
        # first (leaking) update lands on the same value.
        v0 = net["v0_units"][start:start + size] / SANAFE_UNITS_PER_MV / net["decay"]
        lines += [f"  {name}:",
                  "    model: lif",
                  f"    size: {size}",
                  f"    parameters: {{tau_m_ms: {TAU_M_MS!r}, v_leak_mv: 0.0, r_mohm: 1.0, "
                  f"v_threshold_mv: {THRESHOLD_MV!r}, v_reset_mv: {RESET_MV!r}, "
                  f"refractory_ms: {REFRACTORY_TICKS * DT_MS!r}}}",
                  "    initial: {v: [" + ", ".join(repr(float(x)) for x in v0) + "]}"]
    lines.append("projections:")
    for name, _, _ in groups():
        lines.append(f"  bias_{name}_in: {{from: bias_{name}, to: {name}, rule: one_to_one, "
                     "weight: 1.0, target: i_ext}")
    for (src, dst), (_, _, weight) in blocks.items():
        lines.append(f"  {src}_{dst}: {{from: {src}, to: {dst}, rule: explicit, "
                     f"pairs: {{file: net.h5, dataset: /{src}_{dst}/pairs}}, "
                     f"weight: {weight!r}, delay_ms: {DT_MS!r}}}")
    if pinned:
        lines.append("placement:")
        lines += [f"  {name}: {list(CORES)}" for name, _, _ in groups()]
    path = os.path.join(directory, "net.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


# ----------------------------------------------------------------------------------------
# Running a tool, measured.
# ----------------------------------------------------------------------------------------

class ToolError(Exception):
    """A missing tool or a failed run: exit code 2 and 1."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def run_measured(name, command, cwd, out_dir):
    """Runs `command` one-threaded; returns (stdout text, wall s, peak RSS bytes).

    Peak RSS is the child's ru_maxrss from wait4 (what /usr/bin/time -v calls 'Maximum
    resident set size'). stdout/stderr go to OUT/<name>.stdout/.stderr.
    """
    env = dict(os.environ, OMP_NUM_THREADS="1")
    stdout_path = os.path.join(out_dir, f"{name}.stdout")
    stderr_path = os.path.join(out_dir, f"{name}.stderr")
    print(f"[{name}] {' '.join(command)}", file=sys.stderr, flush=True)
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                       stdin=subprocess.DEVNULL)
        except OSError as error:
            raise ToolError(f"{name}: cannot start {command[0]}: {error}", 2) from error
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    if code != 0:
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        raise ToolError(f"{name} failed ({how}): {' '.join(command)}\n"
                        f"--- last lines of {stderr_path}:\n{tail(stderr_path)}"
                        f"--- last lines of {stdout_path}:\n{tail(stdout_path)}")
    with open(stdout_path, encoding="utf-8", errors="replace") as f:
        return f.read(), wall, usage.ru_maxrss * 1024


# ----------------------------------------------------------------------------------------
# SANA-FE
# ----------------------------------------------------------------------------------------

def find_sanafe(path, arch_override):
    """(sim binary, arch/loihi.yaml) from a source folder, a build folder or the binary."""
    path = os.path.abspath(path)
    candidates = [path] if os.path.isfile(path) else [os.path.join(path, "sim"),
                                                      os.path.join(path, "build", "sim")]
    sim = next((c for c in candidates if os.path.isfile(c) and os.access(c, os.X_OK)), None)
    if sim is None:
        raise ToolError(f"--sanafe {path}: no executable 'sim' there (nor in build/); build it "
                        "first (bench/sanafe/README.md, 'Building SANA-FE')", 2)
    folders = [os.path.dirname(sim), os.path.dirname(os.path.dirname(sim))]
    cache = os.path.join(os.path.dirname(sim), "CMakeCache.txt")
    if os.path.isfile(cache):     # a build folder: its source folder holds arch/
        with open(cache, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("CMAKE_HOME_DIRECTORY:") or line.startswith(
                        "sana-fe_SOURCE_DIR:"):
                    folders.append(line.split("=", 1)[1].strip())
    arch = arch_override or next(
        (os.path.join(d, "arch", "loihi.yaml") for d in folders
         if os.path.isfile(os.path.join(d, "arch", "loihi.yaml"))), None)
    if arch is None or not os.path.isfile(arch):
        raise ToolError(f"--sanafe {path}: arch/loihi.yaml not found next to the binary or in "
                        "its source folder; give it with --sanafe-arch", 2)
    return sim, os.path.abspath(arch)


def parse_sanafe_summary(text):
    """The run summary SANA-FE prints (and writes to run_summary.yaml). Its energy lines
    read 'synapse:1.2e-05' without a space, so this is parsed by pattern, not as YAML."""
    fields = {}
    section = ""
    for line in text.splitlines():
        match = re.match(r"^(\s*)([A-Za-z_]+):\s*(.*)$", line)
        if not match:
            continue
        indent, key, value = match.groups()
        if not indent:
            section = key if value == "" else ""
        full = f"{section}.{key}" if indent and section else key
        value = value.strip().strip("'")
        try:
            fields[full] = float(value)
        except ValueError:
            if value:
                fields[full] = value
    required = ("timesteps_executed", "total_spikes", "total_messages_sent",
                "total_neurons_updated", "total_neurons_fired", "sim_time", "energy.total")
    missing = [k for k in required if k not in fields]
    if missing:
        raise ToolError(f"SANA-FE printed no run summary with {', '.join(missing)}")
    return fields


def run_sanafe(sim, arch, network, steps, timing, out_dir):
    summary_dir = os.path.join(out_dir, "sanafe")
    command = [sim, "-N", "1", "-t", timing, "-o", summary_dir, arch, network, str(steps)]
    stdout, wall, rss = run_measured("sanafe", command, summary_dir, out_dir)
    summary_file = os.path.join(summary_dir, "run_summary.yaml")
    text = stdout
    if os.path.isfile(summary_file):
        with open(summary_file, encoding="utf-8") as f:
            text = f.read()
    s = parse_sanafe_summary(text)
    return {
        "command": command,
        "steps": int(s["timesteps_executed"]),
        "energy_j": s["energy.total"],
        "energy_breakdown_j": {k.split(".", 1)[1]: v for k, v in s.items()
                               if k.startswith("energy.")},
        "chip_time_s": s["sim_time"],
        "timing_model": timing,
        "spikes": int(s["total_neurons_fired"]),
        "synaptic_events": int(s["total_spikes"]),
        "neuron_updates": int(s["total_neurons_updated"]),
        "messages": int(s["total_messages_sent"]),
        "wall_s": wall,
        "peak_rss_bytes": rss,
        "own_wall_s": {k.split(".", 1)[1]: v for k, v in s.items()
                       if k.startswith("wall_time.")},
    }


def read_arch(arch):
    """The figures of SANA-FE's Loihi architecture file that this network uses: its first
    core's units (axon in, the LIF soma, the dense synapse, axon out), the first tile's hop
    costs, the mesh and the sync table."""
    import yaml

    with open(arch, encoding="utf-8") as f:
        doc = yaml.safe_load(f)["architecture"]
    tile = doc["tile"][0]
    core = tile["core"][0]

    def first(section):
        return dict(core[section][0]["attributes"], name=core[section][0]["name"])

    return {
        "architecture": dict(doc["attributes"]),
        "tile": dict(tile["attributes"], name=tile["name"]),
        "core": dict(core["attributes"], name=core["name"]),
        "axon_in": first("axon_in"),
        "soma": first("soma"),
        "synapse": first("synapse"),
        "axon_out": first("axon_out"),
    }


def sanafe_energy_terms(arch, counts, neurons, steps):
    """SANA-FE's Loihi energy, term by term, from counts (J). Hops come from the counts
    (hops_east_west, hops_north_south); SANA-FE's own run has none, its 4 cores being tile 0."""
    soma, synapse, tile = arch["soma"], arch["synapse"], arch["tile"]
    return {
        "access (every neuron, every step)": neurons * steps * soma["energy_access_neuron"],
        "update (neurons updated)": counts["neuron_updates"] * soma["energy_update_neuron"],
        "spike out (neurons fired)": counts["spikes"] * soma["energy_spike_out"],
        "synapse (synaptic events)": counts["synaptic_events"]
        * synapse["energy_process_spike"],
        "message out (spike x dest. core)": counts["messages"]
        * arch["axon_out"]["energy_message_out"],
        "message in": counts["messages"] * arch["axon_in"]["energy_message_in"],
        "hops": counts.get("hops_east_west", 0) * tile["energy_east_hop"]
        + counts.get("hops_north_south", 0) * tile["energy_north_hop"],
    }


# ----------------------------------------------------------------------------------------
# tandem
# ----------------------------------------------------------------------------------------

def find_tandem(path):
    candidates = [path] if path else [os.path.join(REPO_ROOT, "build", "app", "tandem")]
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise ToolError("tandem binary not found (tried " + ", ".join(candidates) + "); build it: "
                    "cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && "
                    "cmake --build build --target tandem, or give --tandem PATH", 2)


def chip_without_memory_limit(chip, out_dir):
    """A copy of preset `chip` whose cores hold 16 MiB of synapses: SANA-FE checks no synapse
    memory, and its 4-core placement of this network needs ~590 KB per core, over Loihi's
    128 KB. Returns the copy's path, or None if the preset file is not found."""
    for folder in (os.environ.get("TANDEM_PRESETS_DIR"), os.path.join(REPO_ROOT, "presets")):
        source = os.path.join(folder, f"{chip}.yaml") if folder else ""
        if source and os.path.isfile(source):
            with open(source, encoding="utf-8") as f:
                text = f.read()
            text, count = re.subn(r"(?m)^(\s*synapse_memory_bytes:\s*)\d+", r"\g<1>16777216",
                                  text)
            if count != 1:
                return None
            path = os.path.join(out_dir, f"{chip}_unlimited_synapse_memory.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return path
    return None


def run_tandem(tandem, net, steps, chip, out_dir, pinned=True):
    """Writes the network with CORES pinned (pinned=False: tandem's own mapping), runs it and
    reads its energy report. If the chip's synapse memory refuses 4 cores, a copy of the
    preset without that limit is used, and the result's notes say so."""
    directory = os.path.join(out_dir, "tandem")
    report = os.path.join(out_dir, "tandem_energy.json")
    notes = []
    network = write_tandem_network(net, directory, steps, chip, pinned)
    command = [tandem, "run", network, "--chip", chip, "--ticks", str(steps),
               "--energy-report", report, "--force", "--quiet"]
    try:
        stdout, wall, rss = run_measured("tandem", command, directory, out_dir)
    except ToolError as error:
        copy = chip_without_memory_limit(chip, out_dir) if "synapse memory" in str(error) else None
        if not copy:
            raise
        notes.append(f"chip '{chip}' refuses the 4-core placement (synapse memory per core); ran "
                     f"on a copy with 16 MiB per core, as SANA-FE checks no synapse memory: {copy}")
        command[command.index("--chip") + 1] = copy
        stdout, wall, rss = run_measured("tandem", command, directory, out_dir)
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    total = data["total"]
    executed = total["executed"]
    result = {
        "command": command,
        "chip": data["chip"]["name"],
        "steps": int(data["ticks"]),
        "energy_j": total["energy_j"]["total"],
        "dynamic_j": total["energy_j"]["dynamic"],
        "static_j": total["energy_j"]["static"],
        "hops_east_west": int(total["routing"]["executed"]["east_west"]),
        "hops_north_south": int(total["routing"]["executed"]["north_south"]),
        "spikes": int(executed["spikes"]),
        "synaptic_events": int(executed["synaptic_ops"]),
        "neuron_updates": int(executed["neuron_updates"]),
        "neuron_updates_skipped": int(executed["neuron_updates_skipped"]),
        "messages": int(executed["packets"]),
        "hops": int(executed["hops"]),
        "input_events": int(executed["input_events"]),
        "cores_used": int(data["mapping"]["cores_used"]),
        "wall_s": wall,
        "peak_rss_bytes": rss,
        "notes": notes,
        "chip_time_s": None,
    }
    # Spiking populations only (the bias inputs are 'input' nodes): spikes of neurons.
    result["neuron_spikes"] = sum(int(n["executed"]["spikes"]) for n in data["nodes"]
                                  if n["kind"] == "spiking")
    timing = data.get("time")
    if isinstance(timing, dict) and timing.get("modelled"):
        executed_time = timing["executed"]
        result["chip_time_s"] = float(executed_time["chip_time_s"])
        result["tick_mean_s"] = float(executed_time["tick_mean_s"])
        result["tick_max_s"] = float(executed_time["tick_max_s"])
        result["time"] = timing
    elif isinstance(timing, dict):
        notes.append(f"chip '{result['chip']}' has no timing model in tandem: no chip time")
    else:
        notes.append("this tandem's energy report has no 'time' section: no chip time")
    if "SANA-FE" not in data["chip"].get("source", ""):
        notes.append(f"priced on chip '{chip}', whose source is not SANA-FE: its costs are not "
                     "SANA-FE's")
    result["stdout_tail"] = stdout[-2000:]
    return result


# ----------------------------------------------------------------------------------------
# The comparison
# ----------------------------------------------------------------------------------------

def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(value, unit=""):
    if value is None:
        return "-"
    if unit == "B":
        return f"{value / 2**20:,.1f} MiB"
    if isinstance(value, int):
        return f"{value:,}"
    if unit == "s" and value >= 1e-3:
        return f"{value:.3f} s"
    return f"{value:.4g}{' ' + unit if unit else ''}"


def rows(t, s):
    """(figure, tandem, SANA-FE, unit) of the table; SANA-FE None when it did not run.
    SANA-FE models no static power, so its dynamic energy is its total."""
    def per_step(r, key):
        return None if r is None or r.get(key) is None else r[key] / r["steps"]

    def rate(r, key):
        return None if r is None else r[key] / (N_EXC + N_INH) / (r["steps"] * DT_MS / 1000.0)

    def get(r, key):
        return None if r is None else r.get(key)

    return [
        ("energy per step, total", per_step(t, "energy_j"), per_step(s, "energy_j"), "J"),
        ("  dynamic", per_step(t, "dynamic_j"), per_step(s, "energy_j"), "J"),
        ("  static", per_step(t, "static_j"), 0.0 if s else None, "J"),
        ("chip time per step, mean", per_step(t, "chip_time_s"), per_step(s, "chip_time_s"),
         "s"),
        ("chip time per step, max", t.get("tick_max_s"), None, "s"),
        ("spikes (neurons fired)", t["neuron_spikes"], get(s, "spikes"), ""),
        ("synaptic events", t["synaptic_events"], get(s, "synaptic_events"), ""),
        ("neuron updates", t["neuron_updates"], get(s, "neuron_updates"), ""),
        ("messages (spike x dest. core)", t["messages"], get(s, "messages"), ""),
        ("hops", t["hops"], 0 if s else None, ""),
        ("cores used", t["cores_used"], len(CORES) if s else None, ""),
        ("mean rate (Hz)", rate(t, "neuron_spikes"), rate(s, "spikes"), ""),
        ("wall time, whole run", t["wall_s"], get(s, "wall_s"), "s"),
        ("peak memory (RSS)", t["peak_rss_bytes"], get(s, "peak_rss_bytes"), "B"),
    ]


def print_table(table, with_sanafe):
    header = f"{'figure':32} {'tandem':>14}"
    if with_sanafe:
        header += f" {'SANA-FE':>14} {'tandem/SANA-FE':>15}"
    print(header)
    print("-" * len(header))
    for name, tv, sv, unit in table:
        line = f"{name:32} {fmt(tv, unit):>14}"
        if with_sanafe:
            r = ratio(tv, sv)
            line += f" {fmt(sv, unit):>14} {('-' if r is None else f'{r:.4f}'):>15}"
        print(line)


def print_energy_terms(s, t, neurons):
    """SANA-FE's energy rebuilt term by term from its counts and arch file (a check that the
    formula is the one it applies), and the same formula on tandem's counts: what SANA-FE
    would charge for tandem's run of the network, next to what tandem charged."""
    arch = s["arch_figures"]
    own = sanafe_energy_terms(arch, s, neurons, s["steps"])
    on_tandem = sanafe_energy_terms(arch, t, neurons, t["steps"])
    total_own, total_on_tandem = sum(own.values()), sum(on_tandem.values())
    print(f"\nSANA-FE's energy per step by term (pJ) {'its counts':>12} {'share':>7} "
          f"{'tandem counts':>14}")
    for term, value in own.items():
        print(f"  {term:36} {value / s['steps'] * 1e12:12,.0f} {value / total_own:7.1%} "
              f"{on_tandem[term] / t['steps'] * 1e12:14,.0f}")
    print(f"  {'sum':36} {total_own / s['steps'] * 1e12:12,.0f} {'':7} "
          f"{total_on_tandem / t['steps'] * 1e12:14,.0f}")
    print(f"  SANA-FE reported {s['energy_j'] / s['steps'] * 1e12:,.0f} pJ per step (sum/"
          f"reported {total_own / s['energy_j']:.6f}); tandem charged "
          f"{t['dynamic_j'] / t['steps'] * 1e12:,.0f} pJ per step dynamic on '{t['chip']}' "
          f"({t['dynamic_j'] / total_on_tandem:.4f} x SANA-FE's formula on tandem's counts)")
    return {"sanafe_counts_j": own, "tandem_counts_j": on_tandem}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="compare.py",
        description="Run issue #12's 4,000-neuron network on SANA-FE and tandem side by side "
                    "(one-threaded) and compare energy and chip time per step, spikes, "
                    "synaptic events, neuron updates, wall time and peak memory.",
        epilog="Without --sanafe only the tandem side runs. Building SANA-FE: "
               "bench/sanafe/README.md.")
    parser.add_argument("--sanafe", metavar="PATH",
                        help="SANA-FE's 'sim' binary, or its build or source folder")
    parser.add_argument("--sanafe-arch", metavar="YAML",
                        help="architecture file (default: arch/loihi.yaml of SANA-FE's source)")
    parser.add_argument("--sanafe-timing", default="simple",
                        choices=("simple", "detailed", "cycle"),
                        help="SANA-FE timing model (default simple, the issue's 11.1 us/step)")
    parser.add_argument("--tandem", metavar="PATH",
                        help="tandem binary (default build/app/tandem)")
    parser.add_argument("--tandem-mapping", default="pinned", choices=("pinned", "own"),
                        help="pinned (default): both populations spread over cores 0-3 as "
                             "SANA-FE maps them; own: tandem's own mapping (the issue's 23 cores)")
    parser.add_argument("--chip", default="loihi",
                        help="tandem chip preset or file (default loihi: SANA-FE's arch/loihi.yaml "
                             "as a tandem preset)")
    parser.add_argument("--steps", type=int, default=1000, help="time steps (1 ms each)")
    parser.add_argument("--seed", type=int, default=1,
                        help="network seed (1: the issue's 320,933 synapses)")
    parser.add_argument("--biased-fraction", type=float, default=1.0, metavar="F",
                        help="fraction of neurons with a bias (default 1: the issue's network; "
                             "below 1 the others are driven by the network only, which shows "
                             "how each tool counts neuron updates)")
    parser.add_argument("--out", metavar="DIR",
                        default=os.path.join(tempfile.gettempdir(), "tandem_vs_sanafe"),
                        help="work folder for networks, outputs and compare.json "
                             "(default %(default)s)")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be >= 1")
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    if not 0.0 <= args.biased_fraction <= 1.0:
        parser.error("--biased-fraction must be in [0, 1]")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        tandem = find_tandem(args.tandem)
        sanafe = find_sanafe(args.sanafe, args.sanafe_arch) if args.sanafe else None
        chip = args.chip
        out = os.path.abspath(args.out)
        for sub in ("tandem", "sanafe"):
            shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
            os.makedirs(os.path.join(out, sub))
        net = make_network(args.seed, args.biased_fraction)
        print(f"network: {net['n']:,} neurons ({N_EXC} exc + {N_INH} inh), "
              f"{len(net['pre']):,} synapses, seed {args.seed}, {args.steps} steps",
              file=sys.stderr)
        result = {"network": {"neurons": net["n"], "synapses": int(len(net["pre"])),
                              "seed": args.seed, "steps": args.steps, "cores": list(CORES)}}
        tandem_result = run_tandem(tandem, net, args.steps, chip, out,
                                   pinned=args.tandem_mapping == "pinned")
        result["tandem"] = tandem_result
        sanafe_result = None
        if sanafe:
            sim, arch = sanafe
            network = os.path.join(out, "sanafe", "net.yaml")
            write_sanafe_network(net, network)
            sanafe_result = run_sanafe(sim, arch, network, args.steps, args.sanafe_timing, out)
            sanafe_result["arch"] = arch
            sanafe_result["arch_figures"] = read_arch(arch)
            result["sanafe"] = sanafe_result
        else:
            print("no --sanafe given: tandem side only", file=sys.stderr)
    except ToolError as error:
        print(f"compare.py: {error}", file=sys.stderr)
        return error.exit_code

    table = rows(tandem_result, sanafe_result)
    result["table"] = [{"figure": name, "tandem": tv, "sanafe": sv, "ratio": ratio(tv, sv)}
                       for name, tv, sv, _ in table]
    print(f"\n{net['n']:,} neurons, {len(net['pre']):,} synapses, {args.steps} steps; tandem "
          f"on '{tandem_result['chip']}' ({tandem_result['cores_used']} cores)"
          + (f", SANA-FE {os.path.basename(sanafe_result['arch'])} "
             f"({sanafe_result['timing_model']} timing)" if sanafe_result else
             " (tandem side only: no --sanafe)"))
    print_table(table, sanafe_result is not None)
    for note in tandem_result["notes"]:
        print(f"note: {note}")
    if sanafe_result:
        own = sanafe_result["own_wall_s"]
        # Its 'setup' timer is not a duration (an uninitialised start time): left out.
        loop = sum(v for k, v in own.items() if k != "setup" and isinstance(v, float))
        sanafe_result["simulation_loop_s"] = loop
        print(f"SANA-FE's own timers: {loop:.2f} s in the {sanafe_result['steps']} steps "
              f"(neurons {own.get('neuron_processing', 0):.2f} s, messages "
              f"{own.get('message_processing', 0):.2f} s); the rest of its "
              f"{sanafe_result['wall_s']:.1f} s loads arch and network and builds the chip")
        result["sanafe_energy_terms"] = print_energy_terms(
            sanafe_result, tandem_result, net["n"])
    json_path = os.path.join(out, "compare.json")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, default=float)
    print(f"\nwritten: {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
