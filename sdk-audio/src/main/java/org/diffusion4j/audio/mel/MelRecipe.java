package org.diffusion4j.audio.mel;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Every parameter of the mel front end, as a value: two recipes are interchangeable exactly when they are
 * {@link #equals equal}. A checkpoint stores {@link #toProperties()} and checks it on load with
 * {@link #requireSameAs}, because a vocoder fed a mel from another recipe produces noise (lmnt-com/wavegrad
 * issues #7, #10, #16).
 *
 * <p>The pipeline (lmnt-com/wavegrad preprocess.py with torchaudio defaults resolved):
 * |STFT| with a periodic Hann window ({@code winLength}, centred in {@code nFft}), hop {@code hop},
 * reflect centre padding, divided by √Σw² when {@code normalized}; raised to {@code power}; HTK mel
 * filterbank without normalisation ({@code nMels} triangles between {@code fMin} and {@code fMax}); then
 * y = 20·log10(max(M, amplitudeFloor)) − refDb, and clamp((y + dbRange)/dbRange, 0, 1).
 */
public record MelRecipe(int sampleRate, int nFft, int winLength, int hop, int nMels, double fMin, double fMax,
        double power, boolean normalized, double amplitudeFloor, double refDb, double dbRange) {

    public MelRecipe {
        positive("sampleRate", sampleRate);
        if (nFft < 2 || Integer.bitCount(nFft) != 1) {
            throw new IllegalArgumentException("nFft: expected a power of two >= 2, got " + nFft);
        }
        if (winLength < 1 || winLength > nFft) {
            throw new IllegalArgumentException("winLength: expected 1.." + nFft + ", got " + winLength);
        }
        positive("hop", hop);
        positive("nMels", nMels);
        if (!(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("fMin/fMax: expected 0 <= fMin < fMax <= " + sampleRate / 2.0
                    + ", got " + fMin + "/" + fMax);
        }
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("power: expected > 0, got " + power);
        }
        if (!(amplitudeFloor > 0)) {
            throw new IllegalArgumentException("amplitudeFloor: expected > 0, got " + amplitudeFloor);
        }
        if (!Double.isFinite(refDb)) {
            throw new IllegalArgumentException("refDb: expected a finite value, got " + refDb);
        }
        if (!(dbRange > 0) || Double.isInfinite(dbRange)) {
            throw new IllegalArgumentException("dbRange: expected > 0, got " + dbRange);
        }
    }

    /** lmnt-com/wavegrad's recipe at the given rate: n_fft 2048, win 1200, hop 300, 128 mels, 20 Hz..sr/2. */
    public static MelRecipe wavegrad(int sampleRate) {
        return new MelRecipe(sampleRate, 2048, 1200, 300, 128, 20.0, sampleRate / 2.0, 1.0, true, 1e-5, 20.0, 100.0);
    }

    public MelRecipe withNMels(int n) {
        return new MelRecipe(sampleRate, nFft, winLength, hop, n, fMin, fMax, power, normalized, amplitudeFloor, refDb, dbRange);
    }

    public MelRecipe withHop(int h) {
        return new MelRecipe(sampleRate, nFft, winLength, h, nMels, fMin, fMax, power, normalized, amplitudeFloor, refDb, dbRange);
    }

    /** The same recipe at another rate with fMax = rate/2 (the wavegrad convention). */
    public MelRecipe withSampleRate(int rate) {
        return new MelRecipe(rate, nFft, winLength, hop, nMels, fMin, rate / 2.0, power, normalized, amplitudeFloor, refDb, dbRange);
    }

    /** Java-properties text; {@link #parse} reads it back to an equal recipe (doubles print round-trip exact). */
    public String toProperties() {
        Properties p = new Properties();
        p.setProperty("mel.sampleRate", Integer.toString(sampleRate));
        p.setProperty("mel.nFft", Integer.toString(nFft));
        p.setProperty("mel.winLength", Integer.toString(winLength));
        p.setProperty("mel.hop", Integer.toString(hop));
        p.setProperty("mel.nMels", Integer.toString(nMels));
        p.setProperty("mel.fMin", Double.toString(fMin));
        p.setProperty("mel.fMax", Double.toString(fMax));
        p.setProperty("mel.power", Double.toString(power));
        p.setProperty("mel.normalized", Boolean.toString(normalized));
        p.setProperty("mel.amplitudeFloor", Double.toString(amplitudeFloor));
        p.setProperty("mel.refDb", Double.toString(refDb));
        p.setProperty("mel.dbRange", Double.toString(dbRange));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "diffusion4j mel recipe");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Properties.store writes a timestamp line; drop it so the text is reproducible.
        StringBuilder out = new StringBuilder();
        for (String line : w.toString().split("\\R")) {
            if (!line.startsWith("#") || line.equals("#diffusion4j mel recipe")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** Reads {@link #toProperties()} output; every key is required. */
    public static MelRecipe parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromProperties(p);
    }

    public static MelRecipe fromProperties(Properties p) {
        return new MelRecipe(intKey(p, "mel.sampleRate"), intKey(p, "mel.nFft"), intKey(p, "mel.winLength"),
                intKey(p, "mel.hop"), intKey(p, "mel.nMels"), doubleKey(p, "mel.fMin"), doubleKey(p, "mel.fMax"),
                doubleKey(p, "mel.power"), Boolean.parseBoolean(key(p, "mel.normalized")),
                doubleKey(p, "mel.amplitudeFloor"), doubleKey(p, "mel.refDb"), doubleKey(p, "mel.dbRange"));
    }

    /** Lists the fields in which {@code other} differs from this recipe (empty when equal). */
    public List<String> differences(MelRecipe other) {
        List<String> d = new ArrayList<>();
        diff(d, "sampleRate", sampleRate, other.sampleRate);
        diff(d, "nFft", nFft, other.nFft);
        diff(d, "winLength", winLength, other.winLength);
        diff(d, "hop", hop, other.hop);
        diff(d, "nMels", nMels, other.nMels);
        diff(d, "fMin", fMin, other.fMin);
        diff(d, "fMax", fMax, other.fMax);
        diff(d, "power", power, other.power);
        diff(d, "normalized", normalized, other.normalized);
        diff(d, "amplitudeFloor", amplitudeFloor, other.amplitudeFloor);
        diff(d, "refDb", refDb, other.refDb);
        diff(d, "dbRange", dbRange, other.dbRange);
        return d;
    }

    /**
     * @throws IllegalArgumentException naming every differing field (expected = this, actual = other)
     */
    public void requireSameAs(MelRecipe other, String what) {
        List<String> d = differences(other);
        if (!d.isEmpty()) {
            throw new IllegalArgumentException(what + ": mel recipe differs from the expected one in " + String.join(", ", d));
        }
    }

    private static void diff(List<String> out, String name, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            out.add(name + " (expected " + expected + ", got " + actual + ")");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + v);
        }
    }

    private static String key(Properties p, String k) {
        String v = p.getProperty(k);
        if (v == null) {
            throw new IllegalArgumentException("mel recipe: missing key " + k);
        }
        return v.trim();
    }

    private static int intKey(Properties p, String k) {
        try {
            return Integer.parseInt(key(p, k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mel recipe: " + k + " expected an integer, got " + p.getProperty(k), e);
        }
    }

    private static double doubleKey(Properties p, String k) {
        try {
            return Double.parseDouble(key(p, k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mel recipe: " + k + " expected a number, got " + p.getProperty(k), e);
        }
    }
}
