// How NIR's numbers become the neurons/ models' (docs/nir.md#lowering), in one place: the lowering
// applies these, the export (io/nir_export.hpp) inverts them and checks that applying them again
// gives back the network's own numbers bit for bit. NIR times are seconds, tandem's milliseconds.
#pragma once

namespace tandem::io {

// A NIR time constant or delay in seconds as tandem's milliseconds.
inline double nir_ms(double seconds) { return seconds * 1000.0; }

// IF and I: NIR's v += dt·R·x with dt in seconds; the `if` model's v += dt_ms·r_mohm·I.
inline double nir_if_r_mohm(double r) { return r / 1000.0; }

// The jump onto v that NIR's input x stands for under forward Euler: LIF, LI (v += dt/τ·R·x).
inline double nir_membrane_gain(double r, double tau_s, double dt_ms) { return r * (dt_ms / 1000.0) / tau_s; }
// IF, I (v += dt·R·x).
inline double nir_integrator_gain(double r, double dt_ms) { return r * (dt_ms / 1000.0); }
// CubaLIF, CubaLI: the jump onto i_syn (I += dt/τ_syn·w_in·x; the model multiplies by w_in).
inline double nir_synapse_gain(double tau_syn_s, double dt_ms) { return (dt_ms / 1000.0) / tau_syn_s; }

}  // namespace tandem::io
