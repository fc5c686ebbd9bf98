#!/usr/bin/env python3
"""Checks the JSON summary of `tandem example cartpole-camera --json`: its keys, the three chips
priced by default, and that event-driven execution costs less dynamic energy than always-on."""
import json
import sys

summary = json.load(open(sys.argv[1]))
assert summary["example"] == "cartpole-camera", summary
assert 0 <= summary["balanced"] <= summary["episodes"], summary
assert summary["control_steps"] > 0, summary
chips = [c["chip"] for c in summary["chips"]]
assert chips == ["tianjic", "loihi2", "spinnaker2"], chips
for chip in summary["chips"]:
    assert 0 < chip["dynamic_j_per_step"] < chip["always_on_dynamic_j_per_step"], chip
    assert chip["static_j_per_step"] > 0, chip
    assert chip["latency_s_per_step"] > 0 and chip["always_on_latency_s_per_step"] > 0, chip
print(f"summary ok: {summary['episodes']} episodes on {', '.join(chips)}")
