package org.diffusion4j.audio.schedule;

import java.util.Arrays;
import java.util.Objects;

/**
 * The WaveGrad schedule grid search (Chen et al. 2021 §4 / App. B; lmnt noise_schedule.py): step n gets
 * the decade exponent 10^{e_n} with e = linspace(minExponent, maxExponent, steps), and β_n = m_n · 10^{e_n}
 * with each m_n chosen independently from the mantissas; all |mantissas|^steps combinations are scored and
 * the lowest score wins. With mantissas 1..9 and 6 steps that is 9^6 = 531,441 candidates, so a real
 * search usually uses fewer mantissas (lmnt: 3 → 729).
 *
 * <p>The scorer is any function of a candidate schedule, lower is better; {@link LogMelScheduleScorer}
 * vocodes held-out mels with a model and measures the log-mel distance.
 */
public final class ScheduleGridSearch {

    /** Scores a candidate schedule; lower is better. Must return a finite value or +∞ for a failed run. */
    @FunctionalInterface
    public interface Scorer {
        double score(InferenceSchedule candidate);
    }

    /** The winner and its score. */
    public record Result(InferenceSchedule best, double score, long candidatesScored) {
    }

    private final double[] mantissas;
    private final double[] exponents;

    public ScheduleGridSearch(double[] mantissas, int steps, double minExponent, double maxExponent) {
        Objects.requireNonNull(mantissas, "mantissas");
        if (mantissas.length == 0) {
            throw new IllegalArgumentException("mantissas: expected at least one, got none");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps: expected >= 1, got " + steps);
        }
        if (!(minExponent <= maxExponent)) {
            throw new IllegalArgumentException("exponents: expected minExponent <= maxExponent, got " + minExponent + " > " + maxExponent);
        }
        this.mantissas = mantissas.clone();
        this.exponents = new double[steps];
        for (int i = 0; i < steps; i++) {
            exponents[i] = Math.pow(10, steps == 1 ? minExponent : minExponent + (maxExponent - minExponent) * i / (steps - 1));
        }
        for (int i = 0; i < mantissas.length; i++) {
            for (double e : exponents) {
                double b = mantissas[i] * e;
                if (!(b > 0 && b < 1)) {
                    throw new IllegalArgumentException("mantissas[" + i + "]: " + mantissas[i] + " × " + e
                            + " gives beta " + b + ", expected a value in (0, 1)");
                }
            }
        }
    }

    /** The paper's grid: mantissas 1..9, exponents 10^-6 .. 10^-1 over the steps. */
    public static ScheduleGridSearch paper(int steps) {
        return new ScheduleGridSearch(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, steps, -6, -1);
    }

    public long size() {
        long n = 1;
        for (int i = 0; i < exponents.length; i++) {
            n = Math.multiplyExact(n, mantissas.length);
        }
        return n;
    }

    /** The candidate with the given index in [0, size()): digit n (base |mantissas|) picks step n's mantissa. */
    public InferenceSchedule candidate(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index: expected 0.." + (size() - 1) + ", got " + index);
        }
        double[] b = new double[exponents.length];
        long rest = index;
        for (int n = 0; n < b.length; n++) {
            b[n] = mantissas[(int) (rest % mantissas.length)] * exponents[n];
            rest /= mantissas.length;
        }
        return new InferenceSchedule("grid-" + b.length, b);
    }

    /** Scores every candidate in index order; ties keep the first. */
    public Result search(Scorer scorer) {
        Objects.requireNonNull(scorer, "scorer");
        long n = size();
        InferenceSchedule best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (long i = 0; i < n; i++) {
            InferenceSchedule c = candidate(i);
            double s = scorer.score(c);
            if (Double.isNaN(s)) {
                throw new IllegalStateException("scorer returned NaN for " + Arrays.toString(c.betas()));
            }
            if (best == null || s < bestScore) {
                best = c;
                bestScore = s;
            }
        }
        return new Result(best, bestScore, n);
    }
}
