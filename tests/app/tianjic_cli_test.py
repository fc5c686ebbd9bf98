#!/usr/bin/env python3
"""CTest: `tandem tianjic run CASE.json` as a user runs it: the specification's worked example
and one case per other primitive print the expected JSON on stdout (exit 0); bad cases (unknown
primitive or key, missing field, wrong length, out-of-range value, int32 vmm operands,
non-integers, malformed or absurdly nested JSON, a missing file) exit 2 with a message naming
the file, the key path and the problem, and print nothing on stdout.

usage: tianjic_cli_test.py TANDEM REPOSITORY"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TANDEM, REPO = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
EXAMPLES = os.path.join(REPO, "examples", "tianjic")
INT32_MAX = 2**31 - 1


def run(*args):
    return subprocess.run([TANDEM, "tianjic", *args, "-q"], capture_output=True, text=True, timeout=60)


def worked_example():
    with open(os.path.join(EXAMPLES, "worked_example.json")) as f:
        return json.load(f)


class TianjicRun(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.directory.cleanup()

    def write(self, case, name="case.json"):
        path = os.path.join(self.directory.name, name)
        with open(path, "w") as f:
            f.write(case if isinstance(case, str) else json.dumps(case))
        return path

    def run_ok(self, case):
        done = run("run", self.write(case))
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def run_bad(self, case, *fragments):
        path = self.write(case)
        done = run("run", path)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertEqual(done.stdout, "")
        self.assertIn(path, done.stderr)
        for fragment in fragments:
            self.assertIn(fragment, done.stderr)
        return done.stderr

    # -- results -------------------------------------------------------------------------------

    def test_the_worked_example_of_the_specification(self):
        done = run("run", os.path.join(EXAMPLES, "worked_example.json"))
        self.assertEqual(done.returncode, 0, done.stderr)
        steps = json.loads(done.stdout)["steps"]
        self.assertEqual(steps, [{"out": [41, 99, -7], "V": [36, 88, -7], "ref_cnt": [0, 1, 0], "Vtheta": [0]}])

    def test_lif_steps_spikes_and_noise(self):
        case = worked_example()
        case["params"].update({"fire_type": 4, "reset_mode": 0, "VR": -3, "Ref_len": 1, "Vleaky_adpt_en": 0})
        case["init"] = {"V": [0, 0, 0], "ref_cnt": [0, 0, 0], "Vtheta": [0]}
        case["steps"] = [{"Uin": [101, 100, 150]}, {"Uin": [101, 1, 0]}, {"Uin": [104, 0, 0]}]
        steps = self.run_ok(case)["steps"]
        # Step 2: neuron 0 is refractory (-3 kept); step 3: -3 + 104 = 101 > 100 fires again.
        self.assertEqual([s["out"] for s in steps], [[1, 0, 1], [0, 1, 0], [1, 0, 0]])
        self.assertEqual(steps[0]["V"], [-3, 100, -3])
        self.assertEqual(steps[0]["ref_cnt"], [1, 0, 1])
        # Raw noise masks from seed 1 with VM = -1: l = 0x80000000, 0x40000000, 0x20000000.
        noisy = worked_example()
        noisy["params"].update({"seed": 1, "fire_type": 6})
        noisy["noise_mask"] = [-1]
        self.assertEqual(self.run_ok(noisy)["steps"][0]["out"], [-INT32_MAX, 0x40000000, 0x20000000])

    def test_vmm_saturates_after_every_mac(self):
        done = run("run", os.path.join(EXAMPLES, "vmm_saturation.json"))
        self.assertEqual(done.returncode, 0, done.stderr)
        # MAX-100 + 127*127 clamps to MAX, then -128*127: MAX - 16256 (not MAX - 227).
        self.assertEqual(json.loads(done.stdout), {"out": [INT32_MAX - 16256, INT32_MAX]})

    def test_cut_relu_and_lut(self):
        cut = {"primitive": "cut", "params": {"out_precision": "uint8", "bit_shift_num": 0}, "x": [255, 256, -1, 1000]}
        self.assertEqual(self.run_ok(cut), {"out": [255, 0, 255, 232]})
        cut["params"]["out_precision"] = "ternary"
        self.assertEqual(self.run_ok(cut), {"out": [1, 1, -1, 1]})
        relu = {"primitive": "relu", "params": {"bit_shift_num": 1, "compare": 0}, "x": [-1, 3, 4, 600]}
        self.assertEqual(self.run_ok(relu), {"out": [0, 0, 1, 127]})
        lut = {"primitive": "lut", "params": {"data_width": 8, "input_precision": "int8", "bit_shift_num": 2},
               "lut": list(range(256)), "x": [-128, -1, 0, 127]}
        self.assertEqual(self.run_ok(lut), {"out": [128, 255, 0, 127]})

    # -- bad input -----------------------------------------------------------------------------

    def test_unknown_primitive_and_keys(self):
        self.run_bad({"primitive": "conv", "params": {}}, "key 'primitive'", "unknown primitive 'conv'")
        case = worked_example()
        case["params"]["tau_m"] = 20
        self.run_bad(case, "key 'params.tau_m'", "unknown key")

    def test_missing_field(self):
        case = worked_example()
        del case["params"]["Vleaky_alpha"]
        self.run_bad(case, "key 'params.Vleaky_alpha': missing")
        case = worked_example()
        del case["init"]
        self.run_bad(case, "key 'init': missing")

    def test_wrong_lengths(self):
        case = worked_example()
        case["steps"].append({"Uin": [1, 2]})
        self.run_bad(case, "key 'steps[1].Uin'", "expected 3 values, got 2")
        self.run_bad({"primitive": "lut", "params": {"data_width": 4, "input_precision": "int32", "bit_shift_num": 0},
                      "lut": [0] * 15, "x": [1]}, "key 'lut'", "expected 16 values, got 15")

    def test_values_out_of_range_for_their_width(self):
        case = worked_example()
        case["init"]["V"][2] = 2**27
        self.run_bad(case, "key 'init.V[2]'", "expected an integer in [-134217728, 134217727], got 134217728")
        vmm = {"primitive": "vmm", "params": {"x_precision": "ternary", "w_precision": "uint8", "nif": 1, "nof": 1,
                                              "constant_bias": 0}, "x": [3], "W": [[1]]}
        self.run_bad(vmm, "key 'x[0]'", "expected an integer in [-1, 2], got 3")
        vmm["x"] = [1]
        vmm["W"] = [[256]]
        self.run_bad(vmm, "key 'W[0][0]'", "expected an integer in [0, 255], got 256")

    def test_int32_operands_of_vmm_are_refused(self):
        vmm = {"primitive": "vmm", "params": {"x_precision": "int32", "w_precision": "int8", "nif": 1, "nof": 1,
                                              "constant_bias": 0}, "x": [1], "W": [[1]]}
        self.run_bad(vmm, "key 'params.x_precision'", "int32 operands are not supported")

    def test_non_integers(self):
        for value in (1.5, "7", True, None, 2.0):
            case = worked_example()
            case["steps"][0]["Uin"][0] = value
            self.run_bad(case, "key 'steps[0].Uin[0]'", "expected an integer")

    def test_malformed_json_never_crashes(self):
        for text in ('{"primitive": "lif", ', "", "\x00\xff", "[" * 200000 + "]" * 200000, "{" * 100000,
                     '{"primitive": "cut", "params": {"out_precision": "int8", "bit_shift_num": 0}, "x": [1e400]}'):
            path = self.write(text)
            done = run("run", path)
            self.assertEqual(done.returncode, 2, (text[:40], done.stderr))
            self.assertIn(path, done.stderr)

    def test_missing_file_and_bad_command_lines(self):
        done = run("run", os.path.join(self.directory.name, "absent.json"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("absent.json: cannot open", done.stderr)
        self.assertEqual(run("walk", "x.json").returncode, 2)
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("run").returncode, 2)
        helped = run("--help")
        self.assertEqual(helped.returncode, 0)
        self.assertIn("tandem tianjic run CASE.json", helped.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
