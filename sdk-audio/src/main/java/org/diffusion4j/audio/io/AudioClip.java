package org.diffusion4j.audio.io;

import java.util.Arrays;

/**
 * Mono audio as floats in [-1, 1] at a sample rate in Hz. The array is defensively copied in and out so
 * the clip is immutable.
 */
public final class AudioClip {

    private final float[] samples;
    private final int sampleRate;

    public AudioClip(float[] samples, int sampleRate) {
        if (samples == null) {
            throw new IllegalArgumentException("samples: expected an array, got null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate: expected > 0 Hz, got " + sampleRate);
        }
        for (int i = 0; i < samples.length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("samples[" + i + "]: expected a finite value, got " + samples[i]);
            }
        }
        this.samples = samples.clone();
        this.sampleRate = sampleRate;
    }

    /** A copy of the samples. */
    public float[] samples() {
        return samples.clone();
    }

    public int length() {
        return samples.length;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioClip other && other.sampleRate == sampleRate && Arrays.equals(other.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(samples) + sampleRate;
    }

    @Override
    public String toString() {
        return "AudioClip[" + samples.length + " samples @ " + sampleRate + " Hz]";
    }
}
