package org.diffusion4j.core.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * An immutable variance schedule β_0..β_{T−1} of the forward process q(x_t | x_{t−1}) = N(√(1−β_t)·x_{t−1}, β_t·I),
 * with every derived table of Ho et al. (2020) precomputed in double precision. Timesteps are 0-based, as in
 * improved-diffusion: t = 0 is the first noising step, t = T−1 the last.
 *
 * <p>Every accessor returns a copy. Tables are looked up at run time by
 * {@link org.diffusion4j.core.process.GaussianDiffusion}, which casts each value to the tensor's dtype.
 */
public final class NoiseSchedule {

    private final double[] betas;
    private final int[] timestepMap;
    private final double[] alphas;
    private final double[] alphasCumprod;
    private final double[] alphasCumprodPrev;
    private final double[] alphasCumprodNext;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;

    private NoiseSchedule(double[] betas, int[] timestepMap, boolean allowTerminalOne) {
        validateBetas(betas, allowTerminalOne);
        int n = betas.length;
        if (timestepMap.length != n) {
            throw new IllegalArgumentException("timestepMap: expected length " + n + ", got " + timestepMap.length);
        }
        this.betas = betas.clone();
        this.timestepMap = timestepMap.clone();
        alphas = new double[n];
        alphasCumprod = new double[n];
        alphasCumprodPrev = new double[n];
        alphasCumprodNext = new double[n];
        double running = 1.0;
        for (int t = 0; t < n; t++) {
            alphas[t] = 1.0 - betas[t];
            alphasCumprodPrev[t] = running; // ᾱ_{t−1}, with ᾱ_{−1} = 1
            running *= alphas[t];
            alphasCumprod[t] = running;
        }
        for (int t = 0; t < n; t++) {
            alphasCumprodNext[t] = t + 1 < n ? alphasCumprod[t + 1] : 0.0; // ᾱ_{t+1}, with ᾱ_T = 0
        }
        posteriorVariance = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        for (int t = 0; t < n; t++) {
            double oneMinusAbar = 1.0 - alphasCumprod[t];
            // β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)                                   (Ho et al. eq. 7)
            posteriorVariance[t] = betas[t] * (1.0 - alphasCumprodPrev[t]) / oneMinusAbar;
            // μ̃_t = β_t √ᾱ_{t−1}/(1 − ᾱ_t) · x0 + (1 − ᾱ_{t−1}) √α_t/(1 − ᾱ_t) · x_t   (Ho et al. eq. 7)
            posteriorMeanCoef1[t] = betas[t] * Math.sqrt(alphasCumprodPrev[t]) / oneMinusAbar;
            posteriorMeanCoef2[t] = (1.0 - alphasCumprodPrev[t]) * Math.sqrt(alphas[t]) / oneMinusAbar;
        }
        // β̃_0 = 0, so its log is clipped to log β̃_1 as improved-diffusion does (a single-step schedule keeps
        // log β_0: there is no β̃_1).
        posteriorLogVarianceClipped = new double[n];
        for (int t = 0; t < n; t++) {
            double v = t == 0 ? (n > 1 ? posteriorVariance[1] : betas[0]) : posteriorVariance[t];
            posteriorLogVarianceClipped[t] = Math.log(v);
        }
    }

    // ---------------------------------------------------------------- factories

    /** A schedule from explicit betas, each finite and strictly inside (0, 1). */
    public static NoiseSchedule fromBetas(double[] betas) {
        if (betas == null) {
            throw new IllegalArgumentException("betas: expected an array, got null");
        }
        return new NoiseSchedule(betas, identity(betas.length), false);
    }

    /**
     * improved-diffusion's linear schedule: betas from 1e−4 to 0.02 scaled by 1000/T so that any T matches the
     * 1000-step schedule of Ho et al. For T ≤ 20 the last beta reaches 1 and the schedule is refused.
     */
    public static NoiseSchedule linear(int numTimesteps) {
        requireSteps(numTimesteps);
        double scale = 1000.0 / numTimesteps;
        return fromBetas(linspace(scale * 1e-4, scale * 0.02, numTimesteps));
    }

    /** Nichol & Dhariwal's cosine schedule: ᾱ(t) = cos²((t + s)/(1 + s) · π/2), s = 0.008, betas clipped at 0.999. */
    public static NoiseSchedule cosine(int numTimesteps) {
        double s = 0.008;
        return fromAlphaBar(t -> {
            double c = Math.cos((t + s) / (1 + s) * Math.PI / 2);
            return c * c;
        }, numTimesteps, 0.999);
    }

    /** Diffusion-LM's sqrt schedule: ᾱ(t) = 1 − √(t + 1e−4) for t ∈ [0, 1], betas clipped at 0.999. */
    public static NoiseSchedule sqrt(int numTimesteps) {
        return fromAlphaBar(t -> 1.0 - Math.sqrt(t + 1e-4), numTimesteps, 0.999);
    }

    /**
     * Discretises a continuous ᾱ(τ), τ ∈ [0, 1], into T betas: β_t = min(1 − ᾱ((t+1)/T)/ᾱ(t/T), maxBeta)
     * (improved-diffusion's {@code betas_for_alpha_bar}).
     */
    public static NoiseSchedule fromAlphaBar(DoubleUnaryOperator alphaBar, int numTimesteps, double maxBeta) {
        requireSteps(numTimesteps);
        if (!(maxBeta > 0 && maxBeta < 1)) {
            throw new IllegalArgumentException("maxBeta: expected a value in (0, 1), got " + maxBeta);
        }
        double[] betas = new double[numTimesteps];
        for (int i = 0; i < numTimesteps; i++) {
            double t1 = (double) i / numTimesteps;
            double t2 = (double) (i + 1) / numTimesteps;
            betas[i] = Math.min(1.0 - alphaBar.applyAsDouble(t2) / alphaBar.applyAsDouble(t1), maxBeta);
        }
        return fromBetas(betas);
    }

    // ---------------------------------------------------------------- respacing

    /**
     * improved-diffusion's {@code space_timesteps}: "50" or "10,15,20" keeps that many evenly strided steps in
     * each of as many equal sections of [0, T); "ddimN" keeps range(0, T, stride) for the integer stride that
     * gives exactly N steps.
     */
    public NoiseSchedule respace(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("spec: expected \"N\", \"N1,N2,...\" or \"ddimN\", got '" + spec + "'");
        }
        int t = numTimesteps();
        String s = spec.trim();
        if (s.startsWith("ddim")) {
            int desired = parseCount(spec, s.substring(4));
            for (int stride = 1; stride < Math.max(t, 2); stride++) {
                int count = (t + stride - 1) / stride;
                if (count == desired) {
                    int[] kept = new int[count];
                    for (int i = 0; i < count; i++) {
                        kept[i] = i * stride;
                    }
                    return respace(kept);
                }
            }
            throw new IllegalArgumentException("spec: cannot take exactly " + desired + " steps with an integer stride from "
                    + t + " timesteps ('" + spec + "')");
        }
        String[] parts = s.split(",");
        int[] counts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            counts[i] = parseCount(spec, parts[i].trim());
        }
        int sizePer = t / counts.length;
        int extra = t % counts.length;
        int start = 0;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            int size = sizePer + (i < extra ? 1 : 0);
            if (size < counts[i]) {
                throw new IllegalArgumentException("spec: section " + i + " of '" + spec + "' asks for " + counts[i]
                        + " steps but has only " + size + " timesteps (T = " + t + ")");
            }
            double fracStride = counts[i] <= 1 ? 1 : (double) (size - 1) / (counts[i] - 1);
            double cur = 0.0;
            for (int k = 0; k < counts[i]; k++) {
                kept.add(start + (int) Math.rint(cur)); // Python's round(): half to even
                cur += fracStride;
            }
            start += size;
        }
        return respace(kept.stream().mapToInt(Integer::intValue).distinct().sorted().toArray());
    }

    /**
     * Keeps the given timesteps (of this schedule) and recomputes betas so that ᾱ at every kept step equals
     * this schedule's: β'_i = 1 − ᾱ_{k_i}/ᾱ_{k_{i−1}}. {@link #timestepMap()} maps the new steps back to the
     * original t the model was trained on.
     */
    public NoiseSchedule respace(int[] keptTimesteps) {
        if (keptTimesteps == null || keptTimesteps.length == 0) {
            throw new IllegalArgumentException("keptTimesteps: expected at least one timestep, got "
                    + Arrays.toString(keptTimesteps));
        }
        int[] kept = keptTimesteps.clone();
        Arrays.sort(kept);
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= numTimesteps()) {
                throw new IllegalArgumentException("keptTimesteps: expected values in [0, " + numTimesteps() + "), got "
                        + kept[i]);
            }
            if (i > 0 && kept[i] == kept[i - 1]) {
                throw new IllegalArgumentException("keptTimesteps: duplicate timestep " + kept[i]);
            }
        }
        double[] newBetas = new double[kept.length];
        int[] map = new int[kept.length];
        double last = 1.0;
        for (int i = 0; i < kept.length; i++) {
            newBetas[i] = 1.0 - alphasCumprod[kept[i]] / last;
            last = alphasCumprod[kept[i]];
            map[i] = timestepMap[kept[i]];
        }
        boolean keepsZeroTerminal = betas[betas.length - 1] == 1.0 && kept[kept.length - 1] == numTimesteps() - 1;
        return new NoiseSchedule(newBetas, map, keepsZeroTerminal);
    }

    /**
     * Lin et al. (2023), Algorithm 1: shift and scale √ᾱ so that the last step has ᾱ = 0 (zero terminal SNR)
     * while the first keeps its value. The last beta becomes exactly 1; ε-prediction is then ill-posed at
     * t = T−1 and refused by {@code GaussianDiffusion}.
     */
    public NoiseSchedule rescaleZeroTerminalSnr() {
        int n = numTimesteps();
        if (n < 2) {
            throw new IllegalArgumentException("rescaleZeroTerminalSnr: needs T >= 2, got T = " + n);
        }
        double[] sqrtAbar = new double[n];
        for (int t = 0; t < n; t++) {
            sqrtAbar[t] = Math.sqrt(alphasCumprod[t]);
        }
        double first = sqrtAbar[0];
        double last = sqrtAbar[n - 1];
        double[] abar = new double[n];
        for (int t = 0; t < n; t++) {
            double s = (sqrtAbar[t] - last) * first / (first - last);
            abar[t] = s * s;
        }
        double[] newBetas = new double[n];
        newBetas[0] = 1.0 - abar[0];
        for (int t = 1; t < n; t++) {
            newBetas[t] = 1.0 - abar[t] / abar[t - 1];
        }
        newBetas[n - 1] = 1.0;
        return new NoiseSchedule(newBetas, timestepMap, true);
    }

    // ---------------------------------------------------------------- accessors (copies)

    public int numTimesteps() {
        return betas.length;
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphas() {
        return alphas.clone();
    }

    /** ᾱ_t = Π_{s ≤ t} α_s. */
    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** ᾱ_{t−1}, with ᾱ_{−1} = 1. */
    public double[] alphasCumprodPrev() {
        return alphasCumprodPrev.clone();
    }

    /** ᾱ_{t+1}, with ᾱ_T = 0. */
    public double[] alphasCumprodNext() {
        return alphasCumprodNext.clone();
    }

    /** β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t). */
    public double[] posteriorVariance() {
        return posteriorVariance.clone();
    }

    /** log β̃_t with the t = 0 entry (β̃_0 = 0) replaced by log β̃_1. */
    public double[] posteriorLogVarianceClipped() {
        return posteriorLogVarianceClipped.clone();
    }

    /** Coefficient of x0 in the posterior mean μ̃_t. */
    public double[] posteriorMeanCoef1() {
        return posteriorMeanCoef1.clone();
    }

    /** Coefficient of x_t in the posterior mean μ̃_t. */
    public double[] posteriorMeanCoef2() {
        return posteriorMeanCoef2.clone();
    }

    /** Signal-to-noise ratio ᾱ_t / (1 − ᾱ_t) (Kingma et al. 2021). */
    public double[] snr() {
        double[] out = new double[alphasCumprod.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = alphasCumprod[t] / (1.0 - alphasCumprod[t]);
        }
        return out;
    }

    /** For each step of this schedule, the timestep of the original (un-respaced) schedule. */
    public int[] timestepMap() {
        return timestepMap.clone();
    }

    /** True when {@link #timestepMap()} is the identity (the schedule was not respaced). */
    public boolean isIdentityMap() {
        for (int i = 0; i < timestepMap.length; i++) {
            if (timestepMap[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** ᾱ at the last step; 0 for a zero-terminal-SNR schedule. */
    public double terminalAlphaCumprod() {
        return alphasCumprod[alphasCumprod.length - 1];
    }

    // Package-free single lookups used by hot loops (no copy).

    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    public double alphaCumprodPrev(int t) {
        return alphasCumprodPrev[t];
    }

    public double beta(int t) {
        return betas[t];
    }

    public double posteriorVarianceAt(int t) {
        return posteriorVariance[t];
    }

    public double posteriorLogVarianceClippedAt(int t) {
        return posteriorLogVarianceClipped[t];
    }

    public double posteriorMeanCoef1At(int t) {
        return posteriorMeanCoef1[t];
    }

    public double posteriorMeanCoef2At(int t) {
        return posteriorMeanCoef2[t];
    }

    public int timestepMapAt(int t) {
        return timestepMap[t];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseSchedule other && Arrays.equals(betas, other.betas)
                && Arrays.equals(timestepMap, other.timestepMap);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(betas) + Arrays.hashCode(timestepMap);
    }

    @Override
    public String toString() {
        return "NoiseSchedule[T=" + betas.length + ", beta0=" + betas[0] + ", betaLast=" + betas[betas.length - 1]
                + ", respaced=" + !isIdentityMap() + "]";
    }

    // ---------------------------------------------------------------- helpers

    private static void validateBetas(double[] betas, boolean allowTerminalOne) {
        if (betas.length < 1) {
            throw new IllegalArgumentException("betas: expected T >= 1 values, got T = 0");
        }
        for (int t = 0; t < betas.length; t++) {
            double b = betas[t];
            boolean terminalOne = allowTerminalOne && t == betas.length - 1 && b == 1.0;
            if (!Double.isFinite(b) || b <= 0.0 || (b >= 1.0 && !terminalOne)) {
                throw new IllegalArgumentException("betas[" + t + "]: expected a finite value in (0, 1), got " + b
                        + (b >= 1.0 ? " (the linear schedule reaches beta = 1 for T <= 20)" : ""));
            }
        }
    }

    private static void requireSteps(int numTimesteps) {
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps: expected T >= 1, got " + numTimesteps);
        }
    }

    private static int parseCount(String spec, String part) {
        try {
            int n = Integer.parseInt(part);
            if (n < 1) {
                throw new IllegalArgumentException("spec: step counts must be >= 1, got " + n + " in '" + spec + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("spec: expected \"N\", \"N1,N2,...\" or \"ddimN\", got '" + spec + "'", e);
        }
    }

    private static int[] identity(int n) {
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            map[i] = i;
        }
        return map;
    }

    private static double[] linspace(double start, double end, int n) {
        double[] out = new double[n];
        if (n == 1) {
            out[0] = start;
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = start + (end - start) * i / (n - 1);
        }
        return out;
    }
}
