package org.diffusion4j.core.sampling;

import java.util.Arrays;

/**
 * How a sampler picks n of the schedule's T timesteps, with diffusers' {@code timestep_spacing} conventions
 * ({@code steps_offset = 0}). Every variant returns distinct timesteps in descending order (the order they are
 * visited). To sample on improved-diffusion's respaced schedule instead, build the process on
 * {@code schedule.respace("50")} and ask for all of its steps: every spacing then returns T−1, ..., 0.
 */
public enum TimestepSpacing {
    /** k·⌊T/n⌋ for k = n−1..0: always ends at t = 0 but never visits t = T−1 when n does not divide into it. */
    LEADING,
    /** round(T − k·T/n) − 1 for k = 0..n−1: always starts at t = T−1 (Lin et al. 2023 recommend it). */
    TRAILING,
    /** round(linspace(0, T−1, n)), reversed: visits both t = T−1 and t = 0. */
    LINSPACE;

    /** The n timesteps of a T-step schedule, descending. */
    public int[] select(int numTimesteps, int steps) {
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps: expected T >= 1, got " + numTimesteps);
        }
        if (steps < 1 || steps > numTimesteps) {
            throw new IllegalArgumentException("steps: expected a value in [1, " + numTimesteps + "], got " + steps);
        }
        int[] ts = new int[steps];
        switch (this) {
            case LEADING -> {
                int ratio = numTimesteps / steps;
                for (int k = 0; k < steps; k++) {
                    ts[k] = (steps - 1 - k) * ratio;
                }
            }
            case TRAILING -> {
                double ratio = (double) numTimesteps / steps;
                for (int k = 0; k < steps; k++) {
                    ts[k] = (int) Math.rint(numTimesteps - k * ratio) - 1; // numpy round: half to even
                }
            }
            case LINSPACE -> {
                for (int k = 0; k < steps; k++) {
                    double v = steps == 1 ? 0.0 : (double) (numTimesteps - 1) * (steps - 1 - k) / (steps - 1);
                    ts[k] = (int) Math.rint(v);
                }
            }
            default -> throw new IllegalStateException("unknown spacing " + this);
        }
        return validateDescending("timesteps", ts, numTimesteps);
    }

    /** Checks that {@code ts} is non-empty, strictly descending and inside [0, T); returns a copy. */
    static int[] validateDescending(String name, int[] ts, int numTimesteps) {
        if (ts == null || ts.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one timestep, got " + Arrays.toString(ts));
        }
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] < 0 || ts[i] >= numTimesteps) {
                throw new IllegalArgumentException(name + ": expected values in [0, " + numTimesteps + "), got " + ts[i]);
            }
            if (i > 0 && ts[i] >= ts[i - 1]) {
                throw new IllegalArgumentException(name + ": expected strictly descending timesteps, got "
                        + Arrays.toString(ts));
            }
        }
        return ts.clone();
    }
}
