package org.diffusion4j.audio.schedule;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.StringJoiner;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * A named inference noise schedule β_1..β_N, stored as data so that a searched schedule can ship next to
 * the weights it was found for. WaveGrad is conditioned on the continuous level √ᾱ_n, so one network runs
 * on any of them (lmnt inference.py; Chen et al. 2021 §3.2).
 *
 * <p>File format (UTF-8 text, Java properties syntax): {@code name=...} and {@code betas=b1,b2,...} with
 * every beta written by {@link Double#toString}, which round-trips exactly.
 */
public final class InferenceSchedule {

    private final String name;
    private final double[] betas;

    public InferenceSchedule(String name, double[] betas) {
        if (name == null || name.isBlank() || name.contains("\n")) {
            throw new IllegalArgumentException("name: expected a non-blank single-line name, got " + name);
        }
        if (betas == null || betas.length == 0) {
            throw new IllegalArgumentException("betas: expected at least one step, got none");
        }
        for (int i = 0; i < betas.length; i++) {
            if (!(betas[i] > 0 && betas[i] < 1)) {
                throw new IllegalArgumentException("betas[" + i + "]: expected a value in (0, 1), got " + betas[i]);
            }
        }
        this.name = name;
        this.betas = betas.clone();
    }

    /** lmnt-com/wavegrad's training schedule: linspace(1e-6, 0.01, 1000). */
    public static InferenceSchedule train1000() {
        return linear("train-1000", 1e-6, 0.01, 1000);
    }

    /** The paper's 50-step ablation schedule: linspace(1e-4, 0.05, 50). */
    public static InferenceSchedule linear50() {
        return linear("linear-50", 1e-4, 0.05, 50);
    }

    /**
     * 25 steps following the Fibonacci recurrence β_n = β_{n−1} + β_{n−2} from 1e-6, 2e-6 (ivanvovk's
     * pretrained 25-step schedule; ends at 0.121393).
     */
    public static InferenceSchedule fibonacci25() {
        double[] b = new double[25];
        b[0] = 1e-6;
        b[1] = 2e-6;
        for (int i = 2; i < b.length; i++) {
            b[i] = b[i - 1] + b[i - 2];
        }
        return new InferenceSchedule("fib-25", b);
    }

    /**
     * ivanvovk/WaveGrad's grid-searched 6-step schedule (found for its LJSpeech model; final √ᾱ ≈ 0.964).
     * The default until a search on the shipped model finds a better one.
     */
    public static InferenceSchedule ivanvovk6() {
        return new InferenceSchedule("ivanvovk-6", new double[] {1e-6, 1.89287e-5, 1.19432e-4, 1.00475e-3, 1.10943e-2, 6.0e-2});
    }

    /** linspace(start, end, steps), endpoints included (numpy semantics). */
    public static InferenceSchedule linear(String name, double start, double end, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps: expected >= 1, got " + steps);
        }
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        }
        return new InferenceSchedule(name, b);
    }

    public String name() {
        return name;
    }

    public int steps() {
        return betas.length;
    }

    public double[] betas() {
        return betas.clone();
    }

    /** ᾱ_n = ∏_{i≤n}(1 − β_i). */
    public double[] alphaBars() {
        double[] a = new double[betas.length];
        double p = 1;
        for (int i = 0; i < betas.length; i++) {
            p *= 1 - betas[i];
            a[i] = p;
        }
        return a;
    }

    /** √ᾱ_n, the level WaveGrad is conditioned on at step n. */
    public double[] noiseLevels() {
        double[] a = alphaBars();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sqrt(a[i]);
        }
        return a;
    }

    public String toText() {
        StringJoiner j = new StringJoiner(",");
        for (double b : betas) {
            j.add(Double.toString(b));
        }
        return "# diffusion4j WaveGrad inference schedule (" + betas.length + " steps)\nname=" + name + "\nbetas=" + j + "\n";
    }

    public static InferenceSchedule parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("schedule: unreadable text (" + e.getMessage() + ")", e);
        }
        String name = p.getProperty("name");
        String list = p.getProperty("betas");
        if (name == null || list == null) {
            throw new IllegalArgumentException("schedule: expected keys name and betas, got " + p.stringPropertyNames());
        }
        String[] parts = list.split(",");
        double[] b = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                b[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("schedule: betas[" + i + "] expected a number, got '" + parts[i] + "'", e);
            }
        }
        return new InferenceSchedule(name.trim(), b);
    }

    public static InferenceSchedule load(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toText()} atomically (temporary sibling, then rename). */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toText());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceSchedule s && s.name.equals(name) && Arrays.equals(s.betas, betas);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(betas);
    }

    @Override
    public String toString() {
        return "InferenceSchedule[" + name + ", " + betas.length + " steps]";
    }
}
