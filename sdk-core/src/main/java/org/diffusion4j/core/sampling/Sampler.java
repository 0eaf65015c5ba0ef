package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;

/**
 * One reverse-process solver, in the spirit of diffusers' schedulers: configured with a {@link GaussianDiffusion}
 * and a set of timesteps, it advances x by one step from a given network output. It holds no per-run state:
 * multistep history lives in the {@link SamplerState} returned by {@link #start()}, so one sampler serves
 * concurrent and repeated runs.
 *
 * <p>Timesteps are indices into the process' schedule (0-based, descending); the network is called with
 * {@link GaussianDiffusion#modelTimesteps} of them (the original timesteps when the schedule was respaced). The
 * step after {@code t} goes to the next timestep of {@link #timesteps()}, never to t − T/n; after the last one it
 * goes to x0 (ᾱ = 1).
 */
public interface Sampler {

    /** The process whose schedule and parameterisation (ε, x0 or v) this sampler reads model outputs with. */
    GaussianDiffusion diffusion();

    /** The timesteps visited, descending; a copy. */
    int[] timesteps();

    /** The timestep after {@code t} in {@link #timesteps()}, or −1 when {@code t} is the last one (x0 follows). */
    int nextTimestep(int t);

    /** Whether {@link #step} at {@code t} reads its {@code noise} argument (it may be null otherwise). */
    boolean usesNoise(int t);

    /** A fresh per-run state; close it when the run ends. */
    SamplerState start();

    /**
     * Advances x from timestep {@code t} to {@link #nextTimestep(int) nextTimestep(t)}.
     *
     * @param state       this run's state, from {@link #start()}
     * @param modelOutput the network output at (x, t), [B, ...] (doubled channels on axis 1 for learned variances)
     * @param t           the current timestep, one of {@link #timesteps()}
     * @param x           the current sample x_t, [B, ...]
     * @param noise       standard normal noise shaped like x, when {@link #usesNoise(int)} is true; else ignored
     * @return the next sample, created in x's manager
     */
    NDArray step(SamplerState state, NDArray modelOutput, int t, NDArray x, NDArray noise);

    /**
     * Runs the whole reverse process with {@link SamplingLoop}: draws x_T (or takes the options' initial sample),
     * calls {@code denoiser} once per timestep and applies {@link #step}. The result lives in the options' manager.
     */
    default NDArray sample(Denoiser denoiser, Shape shape, SamplingOptions options) {
        return new SamplingLoop(this).run(denoiser, shape, options);
    }
}
