#!/usr/bin/env python3
"""Where a vocoded WAV's STFT magnitudes miss its reference: a diagnostic, not a project metric.

Usage: stft_bias.py REF.wav GEN.wav [REF2.wav GEN2.wav ...]

Uses the middle resolution of the project's MR-STFT distance (FFT 1024, hop 120, periodic Hann window of 600 centred
in the frame, reflect padding, |S| = sqrt(max(|S|^2, 1e-7)): MultiResolutionStftDistance). For each pair it prints:
- SC: the spectral convergence ||S_ref - S_gen||_F / ||S_ref||_F, as in the distance;
- SC after matching each frame's energy (is the error only loudness over time?);
- SC of the magnitudes smoothed over 9 bins (about 190 Hz; is the spectral envelope wrong, or only the fine structure?);
- per octave band: the mean |ln S_ref - ln S_gen| (the distance's LM term) and the mean ln S_gen - ln S_ref (its sign:
  negative = too quiet);
- the part of LM contributed by the reference's digitally silent frames (frame energy below 10 x the floor).
Needs numpy only.
"""
import sys
import wave

import numpy as np

N_FFT, HOP, WIN = 1024, 120, 600
BANDS_HZ = [0, 516, 1033, 2067, 4134, 8268, 11025]


def read(path):
    with wave.open(path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise SystemExit(f"{path}: expected 16-bit mono PCM, got {8 * w.getsampwidth()}-bit, {w.getnchannels()} channels")
        return w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64) / 32768


def magnitude(x):
    n = np.arange(WIN)
    window = np.zeros(N_FFT)
    window[(N_FFT - WIN) // 2:(N_FFT - WIN) // 2 + WIN] = 0.5 - 0.5 * np.cos(2 * np.pi * n / WIN)
    padded = np.pad(x, (N_FFT // 2, N_FFT // 2), mode="reflect")
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] * window for i in range(1 + len(x) // HOP)])
    return np.sqrt(np.maximum(np.abs(np.fft.rfft(frames, axis=1)) ** 2, 1e-7))


def report(ref_path, gen_path):
    rate, ref = read(ref_path)
    rate2, gen = read(gen_path)
    n = min(len(ref), len(gen))
    if rate != rate2 or abs(len(ref) - len(gen)) > 1:
        raise SystemExit(f"{gen_path}: expected {rate} Hz and {len(ref)} samples like {ref_path}, got {rate2} Hz and {len(gen)}")
    a, b = magnitude(ref[:n]), magnitude(gen[:n])
    sc = np.linalg.norm(a - b) / np.linalg.norm(a)
    gain = np.sqrt((a ** 2).sum(1) / (b ** 2).sum(1))[:, None]
    sc_gain = np.linalg.norm(a - b * gain) / np.linalg.norm(a)
    kernel = np.ones(9) / 9
    smooth = lambda m: np.apply_along_axis(lambda v: np.convolve(v, kernel, "same"), 1, m)
    sa, sb = smooth(a), smooth(b)
    sc_smooth = np.linalg.norm(sa - sb) / np.linalg.norm(sa)
    log_diff = np.log(b) - np.log(a)
    bins = np.arange(a.shape[1]) * rate / N_FFT
    cells = []
    for lo, hi in zip(BANDS_HZ[:-1], BANDS_HZ[1:]):
        m = (bins >= lo) & (bins < hi)
        cells.append(f"{lo}-{hi} Hz {np.abs(log_diff[:, m]).mean():.2f} {log_diff[:, m].mean():+.2f}")
    silent = (a ** 2).sum(1) < 10 * 1e-7 * a.shape[1]
    lm = np.abs(log_diff).mean()
    lm_silent = np.abs(log_diff[silent]).sum() / log_diff.size
    print(f"{gen_path}: SC {sc:.3f}, frame-gain matched {sc_gain:.3f}, smoothed {sc_smooth:.3f} | LM {lm:.3f} "
          f"(silent frames {silent.mean():.2f} of them, {lm_silent:.3f} of it) | LM and bias per band: " + " | ".join(cells))


if __name__ == "__main__":
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        raise SystemExit(__doc__)
    for i in range(1, len(sys.argv), 2):
        report(sys.argv[i], sys.argv[i + 1])
