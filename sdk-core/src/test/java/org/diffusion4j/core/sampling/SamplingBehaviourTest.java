package org.diffusion4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SamplingBehaviourTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear(1000);
    private static final GaussianDiffusion EPS = GaussianDiffusion.builder().schedule(SCHEDULE).build();
    private static final Denoiser MODEL = AnalyticDenoisers.gaussian(SCHEDULE, 1.5, 0.5, Prediction.EPSILON);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray sample(Sampler s, Denoiser d, Shape shape, SamplingOptions.Builder o) {
        return s.sample(d, shape, o.build());
    }

    @Test
    void sameSeedSameSamplesDifferentSeedDifferent() {
        for (Sampler s : new Sampler[] {DdpmSampler.builder(EPS).steps(20).build(),
            DdimSampler.builder(EPS).steps(20).eta(1).build(), DpmSolverPlusPlusSampler.builder(EPS).steps(10).build()}) {
            Shape shape = new Shape(16, 3);
            float[] a = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(5)).toFloatArray();
            float[] b = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(5)).toFloatArray();
            float[] c = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(6)).toFloatArray();
            assertArrayEquals(a, b, s + " same seed");
            assertFalse(java.util.Arrays.equals(a, c), s + " different seed");
        }
    }

    /** One sampler object serves two interleaved runs: history lives in the state. */
    @Test
    void samplerIsStatelessAcrossRuns() {
        DpmSolverPlusPlusSampler s = DpmSolverPlusPlusSampler.builder(EPS).steps(10).build();
        Shape shape = new Shape(8, 2);
        float[] first = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(1)).toFloatArray();
        Denoiser nested = (x, t, c) -> {
            s.sample(MODEL, shape, SamplingOptions.builder(manager).seed(99).build()).close();
            return MODEL.predict(x, t, c);
        };
        float[] second = sample(s, nested, shape, SamplingOptions.builder(manager).seed(1)).toFloatArray();
        assertArrayEquals(first, second);
    }

    /**
     * Inversion then sampling (both η = 0) returns the input up to the discretisation error. DDIM is a first-order
     * solver and the inversion evaluates the model one level below the step it takes, so the round-trip error is
     * O(1/steps): for this N(1.5, 0.25) problem the exact (double-precision) round trip errs by a mean absolute
     * 0.043 at 50 steps and 0.011 at 200. We require < 0.08 at 50 steps (a broken inversion, e.g. without the ε
     * term, lands near the data mean: ~0.4) and first-order convergence: 200 steps at most 0.35× the 50-step error
     * (the first-order ratio is 0.25).
     */
    @Test
    void ddimInversionRoundTrip() {
        Shape shape = new Shape(256, 2);
        NDArray x0 = NoiseSource.seeded(3).normal(manager, shape, DataType.FLOAT32).mul(0.5f).add(1.5f);
        double e50 = roundTripError(50, x0);
        double e200 = roundTripError(200, x0);
        assertTrue(e50 < 0.08, "mean |x0 - sample(invert(x0))| at 50 steps = " + e50);
        assertTrue(e200 < 0.35 * e50, "200 steps " + e200 + " vs 50 steps " + e50);
    }

    private double roundTripError(int steps, NDArray x0) {
        DdimSampler ddim = DdimSampler.builder(EPS).steps(steps).build();
        NDArray xT = ddim.invert(MODEL, x0, SamplingOptions.builder(manager).build());
        assertTrue(xT.sub(x0).abs().mean().getFloat() > 0.3, "x_T is at the noise end, not x0");
        NDArray back = ddim.sample(MODEL, x0.getShape(), SamplingOptions.builder(manager)
                .initial(ddim.timesteps()[0], xT).build());
        return back.sub(x0).abs().mean().getFloat();
    }

    @Test
    void maskedGenerationKeepsKnownEntriesExactly() {
        Shape shape = new Shape(64, 4);
        NDArray known = NoiseSource.seeded(8).normal(manager, shape, DataType.FLOAT32).add(3f);
        boolean[] maskValues = new boolean[4];
        maskValues[0] = true;
        maskValues[2] = true;
        NDArray mask = manager.create(maskValues, new Shape(1, 4));
        NDArray xT = NoiseSource.seeded(4).normal(manager, shape, DataType.FLOAT32); // the loop's first draw
        for (MaskedGeneration m : new MaskedGeneration[] {MaskedGeneration.of(known, mask),
            MaskedGeneration.repaint(known, mask, 3, 2)}) {
            for (Sampler s : new Sampler[] {DdimSampler.builder(EPS).steps(20).build(),
                DdpmSampler.builder(EPS).steps(20).build(), DpmSolverPlusPlusSampler.builder(EPS).steps(20).build()}) {
                NDArray x = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(4).mask(m));
                float[] xs = x.toFloatArray();
                float[] ks = known.toFloatArray();
                float[] ns = xT.toFloatArray();
                int copies = 0;
                for (int i = 0; i < xs.length; i++) {
                    int col = i % 4;
                    if (maskValues[col]) {
                        assertEquals(ks[i], xs[i], 0.0f, s + " known entry " + i);
                    } else {
                        copies += xs[i] == ns[i] || xs[i] == ks[i] ? 1 : 0;
                    }
                }
                assertEquals(0, copies, s + " unknown entries copied from noise or data");
                // unknown columns follow the model (data mean 1.5): 128 values, std 0.5 -> SE 0.044
                NDArray unknown = x.get(":, 1").concat(x.get(":, 3"));
                assertEquals(1.5, unknown.mean().getFloat(), 0.25, s + " unknown mean");
            }
        }
    }

    @Test
    void repaintPlanCountsEvaluations() {
        NDArray dummy = manager.zeros(new Shape(1));
        MaskedGeneration m = MaskedGeneration.repaint(dummy, manager.create(new boolean[] {true}), 2, 3);
        // levels 0, 2, 4, 6 (< 10 − 2) are jump points, each re-traversed twice over 2 levels: 10 + 4·2·2 = 26.
        assertEquals(26, SamplingLoop.plan(10, 0, m).stream().filter(SamplingLoop.Move::down).count());
        assertEquals(10, SamplingLoop.plan(10, 0, null).size());
    }

    /** Conditional analytic model: μ read from cond[0]; CFG with w = 1 / w = 0 equals plain conditional / null. */
    @Test
    void classifierFreeGuidanceEndpoints() {
        Shape shape = new Shape(32, 2);
        NDArray cond = manager.full(new Shape(32, 1), 2.0f);
        NDArray nul = manager.full(new Shape(1, 1), -1.0f);
        Sampler s = DdimSampler.builder(EPS).steps(20).eta(1).build();
        NDArray plainC = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(2).conditioning(new NDList(cond)));
        NDArray plainU = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(2)
                .conditioning(new NDList(manager.full(new Shape(32, 1), -1.0f))));
        for (boolean batched : new boolean[] {true, false}) {
            Denoiser w1 = ClassifierFreeGuidance.builder(MODEL, new NDList(nul)).scale(1).batched(batched).build();
            Denoiser w0 = ClassifierFreeGuidance.builder(MODEL, new NDList(nul)).scale(0).batched(batched).build();
            NDArray g1 = sample(s, w1, shape, SamplingOptions.builder(manager).seed(2).conditioning(new NDList(cond)));
            NDArray g0 = sample(s, w0, shape, SamplingOptions.builder(manager).seed(2).conditioning(new NDList(cond)));
            assertTrue(g1.sub(plainC).abs().max().getFloat() < 1e-5, "w = 1 is conditional");
            assertTrue(g0.sub(plainU).abs().max().getFloat() < 1e-5, "w = 0 is unconditional");
        }
        assertTrue(plainC.sub(plainU).abs().mean().getFloat() > 1, "conditioning matters");
    }

    @Test
    void guidanceRescaleMatchesConditionalStd() {
        NDArray x = NoiseSource.seeded(1).normal(manager, new Shape(4, 8), DataType.FLOAT32);
        NDArray t = manager.full(new Shape(4), 500, DataType.INT64);
        Denoiser model = (xt, tt, c) -> xt.mul(c.get(0));
        NDArray cond = manager.full(new Shape(4, 1), 2.0f);
        NDArray nul = manager.full(new Shape(1, 1), 0.5f);
        NDArray out = ClassifierFreeGuidance.builder(model, new NDList(nul)).scale(5).rescale(1).build()
                .predict(x, t, new NDList(cond));
        // ε_c = 2x, ε_u = 0.5x, ε̂ = 5·2x − 4·0.5x = 8x; φ = 1 rescales it to std(ε_c) = std(2x): the output is 2x.
        assertTrue(out.sub(x.mul(2f)).abs().max().getFloat() < 1e-5);
    }

    @Test
    void classifierGradientMatchesAnalyticScore() {
        NDArray x = NoiseSource.seeded(1).normal(manager, new Shape(5, 3), DataType.FLOAT32);
        NDArray t = manager.zeros(new Shape(5), DataType.INT64);
        ClassifierGuidance g = ClassifierGuidance.of((xt, tt, c) -> xt.sub(2f).square().sum(new int[] {1}).mul(-0.5f),
                1.0);
        NDArray grad = g.gradient(x, t, new NDList());
        assertTrue(grad.sub(x.sub(2f).neg()).abs().max().getFloat() < 1e-5, "∇(−|x−2|²/2) = −(x − 2)");
        assertThrows(IllegalArgumentException.class, () -> ClassifierGuidance.of((a, b, c) -> a, -1));
    }

    /** Score conditioning pulls samples of every sampler towards the classifier's mode, and s = 0 changes nothing. */
    @Test
    void classifierGuidanceWorksForAllSamplers() {
        Shape shape = new Shape(256, 1);
        for (Sampler s : new Sampler[] {DdpmSampler.builder(EPS).steps(25).build(),
            DdimSampler.builder(EPS).steps(25).build(), DpmSolverPlusPlusSampler.builder(EPS).steps(25).build()}) {
            double plain = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(3)).mean().getFloat();
            double zero = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(3)
                    .classifierGuidance(ClassifierGuidance.of((x, t, c) -> x.sum(new int[] {1}), 0))).mean()
                    .getFloat();
            // log p(y|x) = −(x − 3)²/2: the guided target is ∝ N(1.5, 0.25)·N(3, 1)^s, mean (1.5·4 + 3s)/(4 + s).
            double guided = sample(s, MODEL, shape, SamplingOptions.builder(manager).seed(3)
                    .classifierGuidance(ClassifierGuidance.of((x, t, c) -> x.sub(3f).square().sum(new int[] {1})
                            .mul(-0.5f), 2))).mean().getFloat();
            assertEquals(plain, zero, 0.0, s + " s = 0");
            assertTrue(guided > plain + 0.2, s + " guided mean " + guided + " vs " + plain);
        }
    }

    /** 1000 steps: the number of live arrays under the caller's manager is the same after every step. */
    @Test
    void nativeMemoryIsFlatOver1000Steps() {
        NDArray known = manager.zeros(new Shape(8, 2));
        NDArray mask = manager.create(new boolean[] {true, false}, new Shape(1, 2));
        NDArray cond = manager.full(new Shape(8, 1), 1.0f);
        NDArray nul = manager.full(new Shape(1, 1), 0.0f);
        Denoiser cfg = ClassifierFreeGuidance.builder(MODEL, new NDList(nul)).scale(3).rescale(0.5).build();
        for (Sampler s : new Sampler[] {DdimSampler.builder(EPS).eta(0.5).build(),
            DpmSolverPlusPlusSampler.builder(EPS).build()}) {
            List<Integer> counts = new ArrayList<>();
            // Counted when the network is called: every step is then in the same phase (the final step, which
            // draws no noise, would otherwise look smaller). getManagedArrays includes sub-managers.
            Denoiser counting = (xt, t, c) -> {
                counts.add(((BaseNDManager) manager).getManagedArrays().size());
                return cfg.predict(xt, t, c);
            };
            int before = ((BaseNDManager) manager).getManagedArrays().size();
            NDArray x = s.sample(counting, new Shape(8, 2), SamplingOptions.builder(manager).seed(1)
                    .conditioning(new NDList(cond)).mask(MaskedGeneration.of(known, mask)).build());
            assertEquals(1000, counts.size());
            assertEquals(counts.get(1), counts.get(counts.size() - 1), s + " live arrays grew during the run");
            x.close();
            assertEquals(before, ((BaseNDManager) manager).getManagedArrays().size(), s + " arrays left after run");
        }
    }

    /** The multistep history keeps exactly one array however many steps run (its own manager, not the caller's). */
    @Test
    void multistepHistoryDoesNotGrow() {
        DpmSolverPlusPlusSampler s = DpmSolverPlusPlusSampler.builder(EPS).steps(200).build();
        NDArray x = manager.ones(new Shape(4, 2));
        int[] ts = s.timesteps();
        try (SamplerState state = s.start()) {
            for (int i = 0; i < ts.length; i++) {
                try (NDManager step = manager.newSubManager()) {
                    step.tempAttachAll(x);
                    s.step(state, x, ts[i], x, null);
                }
                assertEquals(i + 1 < ts.length ? 1 : state.liveArrays(), state.liveArrays(), "step " + i);
            }
            assertEquals(1, state.liveArrays());
        }
    }

    @Test
    void listenerSeesEveryStep() {
        int[] seen = new int[3];
        SamplingListener l = new SamplingListener() {
            @Override
            public void onStart(int total) {
                seen[0] = total;
            }

            @Override
            public void onStep(int index, int t, NDArray x) {
                seen[1]++;
                assertTrue(x != null);
            }

            @Override
            public void onEnd() {
                seen[2]++;
            }

            @Override
            public boolean wantsSamples() {
                return true;
            }
        };
        DdimSampler.builder(EPS).steps(7).build().sample(MODEL, new Shape(2, 2),
                SamplingOptions.builder(manager).listener(l).build());
        assertArrayEquals(new int[] {7, 7, 1}, seen);
    }

    @Test
    void nextTimestepComesFromTheList() {
        DdimSampler s = DdimSampler.builder(EPS).timesteps(999, 500, 3).build();
        assertEquals(500, s.nextTimestep(999));
        assertEquals(3, s.nextTimestep(500));
        assertEquals(-1, s.nextTimestep(3));
        assertThrows(IllegalArgumentException.class, () -> s.nextTimestep(998));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DdimSampler.builder(EPS).eta(1.5));
        assertThrows(IllegalArgumentException.class, () -> DdimSampler.builder(EPS).steps(1001));
        assertThrows(IllegalArgumentException.class, () -> DdimSampler.builder(EPS).timesteps(3, 5));
        DdimSampler s = DdimSampler.builder(EPS).steps(10).eta(1).build();
        NDArray x = manager.zeros(new Shape(2, 2));
        try (SamplerState st = s.start()) {
            assertThrows(IllegalArgumentException.class, () -> s.step(st, x, 900, x, manager.zeros(new Shape(2, 3))));
            assertThrows(IllegalArgumentException.class, () -> s.step(st, manager.zeros(new Shape(2, 3)), 900, x,
                    x));
            assertThrows(IllegalArgumentException.class, () -> s.step(st, x, 901, x, x));
        }
        assertThrows(IllegalArgumentException.class, () -> s.sample(MODEL, new Shape(2, 2),
                SamplingOptions.builder(manager).mask(MaskedGeneration.of(manager.zeros(new Shape(2, 3)),
                        manager.create(new boolean[] {true}, new Shape(1, 1)))).build()));
        assertThrows(IllegalArgumentException.class, () -> s.sample(MODEL, new Shape(2, 2),
                SamplingOptions.builder(manager).initial(901, x).build()));
    }
}
