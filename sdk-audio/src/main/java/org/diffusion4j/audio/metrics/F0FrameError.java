package org.diffusion4j.audio.metrics;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;

/**
 * F0 frame error (Chu and Alwan 2009): the fraction of frames with a voicing decision error or, where both
 * are voiced, a gross pitch error |f̂ − f|/f > 20 %. Pitch comes from TarsosDSP's YIN (de Cheveigné and
 * Kawahara 2002) on frames of {@code frameSize} samples every {@code hop} samples (no padding: frame i
 * starts at i·hop), threshold 0.2.
 */
public final class F0FrameError {

    private final int sampleRate;
    private final int frameSize;
    private final int hop;

    public F0FrameError(int sampleRate, int frameSize, int hop) {
        if (sampleRate <= 0 || frameSize < 2 || hop < 1) {
            throw new IllegalArgumentException("expected sampleRate > 0, frameSize >= 2, hop >= 1; got "
                    + sampleRate + ", " + frameSize + ", " + hop);
        }
        this.sampleRate = sampleRate;
        this.frameSize = frameSize;
        this.hop = hop;
    }

    /** 1024-sample frames (46 ms at 22.05 kHz: two periods down to ~43 Hz) every 256 samples. */
    public static F0FrameError defaults(int sampleRate) {
        return new F0FrameError(sampleRate, 1024, 256);
    }

    /** F0 in Hz per frame, or −1 where YIN finds no pitch (unvoiced). */
    public float[] track(float[] audio) {
        if (audio.length < frameSize) {
            throw new IllegalArgumentException("audio: expected at least " + frameSize + " samples, got " + audio.length);
        }
        Yin yin = new Yin(sampleRate, frameSize);
        int frames = 1 + (audio.length - frameSize) / hop;
        float[] f0 = new float[frames];
        float[] buf = new float[frameSize];
        for (int i = 0; i < frames; i++) {
            System.arraycopy(audio, i * hop, buf, 0, frameSize);
            PitchDetectionResult r = yin.getPitch(buf);
            f0[i] = r.isPitched() ? r.getPitch() : -1f;
        }
        return f0;
    }

    public double error(float[] reference, float[] generated) {
        Signals.requireSameLength(reference, generated);
        float[] a = track(reference);
        float[] b = track(generated);
        int errors = 0;
        for (int i = 0; i < a.length; i++) {
            boolean va = a[i] > 0;
            boolean vb = b[i] > 0;
            if (va != vb) {
                errors++;
            } else if (va && Math.abs(b[i] - a[i]) > 0.2 * a[i]) {
                errors++;
            }
        }
        return errors / (double) a.length;
    }
}
