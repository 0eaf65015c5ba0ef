#!/usr/bin/env python3
"""Band energies of a vocoded WAV against its reference: a diagnostic, not a project metric.

Usage: band_energy.py REF.wav GEN.wav [REF2.wav GEN2.wav ...]

For each pair: mean power (dB re full scale) of a 1024-point Hann STFT (hop 256) in six bands, reference / generated,
the correlation of the per-frame energies in dB, and the 5th percentile of the frame energy (how quiet the quietest
frames are: the digital silences of eSpeak clips). Needs numpy and scipy.
"""
import sys

import numpy as np
import scipy.io.wavfile as wavfile
from scipy.signal import stft

BANDS = [0, 500, 1000, 2000, 4000, 8000, 11025]


def read(path):
    rate, x = wavfile.read(path)
    if x.dtype != np.int16:
        raise SystemExit(f"{path}: expected 16-bit PCM, got {x.dtype}")
    return rate, x.astype(np.float64) / 32768


def report(ref_path, gen_path):
    rate, ref = read(ref_path)
    rate2, gen = read(gen_path)
    if rate != rate2 or len(ref) != len(gen):
        raise SystemExit(f"{gen_path}: expected {rate} Hz and {len(ref)} samples like {ref_path}, got {rate2} Hz and {len(gen)}")
    f, _, r = stft(ref, fs=rate, nperseg=1024, noverlap=768)
    _, _, g = stft(gen, fs=rate, nperseg=1024, noverlap=768)
    r, g = np.abs(r) ** 2, np.abs(g) ** 2
    cells = []
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        m = (f >= lo) & (f < hi)
        cells.append(f"{lo}-{hi} Hz {10 * np.log10(r[m].mean()):.1f}/{10 * np.log10(g[m].mean()):.1f}")
    er, eg = 10 * np.log10(r.sum(0) + 1e-12), 10 * np.log10(g.sum(0) + 1e-12)
    print(f"{gen_path}: " + " | ".join(cells)
          + f" | frame-energy corr {np.corrcoef(er, eg)[0, 1]:.3f} | 5th pct {np.percentile(er, 5):.1f}/{np.percentile(eg, 5):.1f} dB")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 2:
        raise SystemExit(__doc__)
    for a, b in zip(args[0::2], args[1::2]):
        report(a, b)
