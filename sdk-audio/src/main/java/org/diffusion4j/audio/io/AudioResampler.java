package org.diffusion4j.audio.io;

import be.tarsos.dsp.resample.Resampler;

/**
 * Sample-rate conversion with TarsosDSP's band-limited {@link Resampler} (a port of libresample, pure
 * Java and deterministic). The output length is round(n · to / from).
 */
public final class AudioResampler {

    private static final System.Logger LOG = System.getLogger(AudioResampler.class.getName());

    private AudioResampler() {
    }

    /**
     * {@code clip} at {@code rate}: as it is when it already has that rate; else resampled with a warning logged when
     * {@code allowResample}, or refused naming {@code source} and both rates (a model fed audio at another rate than it
     * was trained for hears it pitch-shifted).
     */
    public static AudioClip atRate(AudioClip clip, int rate, boolean allowResample, String source) {
        if (clip.sampleRate() == rate) {
            return clip;
        }
        if (!allowResample) {
            throw new IllegalArgumentException(source + ": expected " + rate + " Hz (the model's rate), got "
                    + clip.sampleRate() + " Hz (allow resampling, or convert the file)");
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: resampling {1} Hz to {2} Hz", source, String.valueOf(clip.sampleRate()),
                String.valueOf(rate));
        return resample(clip, rate);
    }

    public static AudioClip resample(AudioClip clip, int targetRate) {
        if (targetRate <= 0) {
            throw new IllegalArgumentException("targetRate: expected > 0 Hz, got " + targetRate);
        }
        if (targetRate == clip.sampleRate()) {
            return clip;
        }
        return new AudioClip(resample(clip.samples(), clip.sampleRate(), targetRate), targetRate);
    }

    static float[] resample(float[] in, int fromRate, int toRate) {
        double factor = toRate / (double) fromRate;
        int expected = (int) Math.round(in.length * factor);
        float[] out = new float[expected];
        Resampler resampler = new Resampler(true, factor, factor);
        int consumed = 0;
        int produced = 0;
        // Resampler delays its output by half its filter width; feeding the input once with last = true and
        // then empty "last" calls flushes the tail. Bounded so a misbehaving resampler cannot loop forever.
        for (int guard = 0; produced < expected && guard < 64; guard++) {
            Resampler.Result r = resampler.process(factor, in, consumed, in.length - consumed, true,
                    out, produced, expected - produced);
            consumed += r.inputSamplesConsumed;
            produced += r.outputSamplesGenerated;
            if (r.inputSamplesConsumed == 0 && r.outputSamplesGenerated == 0) {
                break;
            }
        }
        if (produced < expected) {
            throw new IllegalStateException("resampler produced " + produced + " of " + expected + " samples");
        }
        return out;
    }
}
