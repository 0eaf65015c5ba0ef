package org.diffusion4j.audio.vocode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.audio.model.ChunkedForward;
import org.diffusion4j.audio.model.RandomWeights;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.model.WaveGradDenoiser;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.SamplingListener;
import org.diffusion4j.core.sampling.SamplingOptions;
import org.junit.jupiter.api.Test;

class WaveGradVocoderTest {

    /** hop 6 = 2·3, three mel bands: the network is small enough to call step by step from the test. */
    /**
     * The tiny network with weights drawn from a seeded libtorch generator. Unseeded, the weights depend on what
     * the JVM drew before, and some draws (about 1 in 30) make the untrained network drive every sample of the clamped
     * output to the same ±1, whatever the noise: then "another seed gives other audio" cannot hold.
     */
    /**
     * The tiny network with every weight drawn from N(0, 0.3²): ε̂ of order 10, where float round-off is about 1e-6.
     * DJL's initialisation of this network gives ε̂ of order 10⁴, where round-off alone reached 1.1e-4 in the audio on
     * some CPUs, and most samples clamp to ±1 in every step.
     */
    private static WaveGrad tinyModel(NDManager m) {
        WaveGrad model = new WaveGrad(tiny());
        model.initialize(m, DataType.FLOAT32);
        RandomWeights.randomise(model, new java.util.Random(11), 0.3);
        return model;
    }

    private static WaveGradConfig tiny() {
        return WaveGradConfig.builder().nMels(3).hop(6).upFactors(2, 3).upChannels(6, 4)
                .upDilations(new int[][] {{1, 2, 1, 2}, {1, 2, 4, 8}}).firstDownChannels(4).downChannels(6)
                .melEmbedChannels(8).noiseLevelScale(1).build();
    }

    private static float[][] mel(int frames) {
        float[][] m = new float[3][frames];
        for (int b = 0; b < 3; b++) {
            for (int f = 0; f < frames; f++) {
                m[b][f] = (float) (0.5 + 0.4 * Math.sin(b + 0.7 * f));
            }
        }
        return m;
    }

    /** ᾱ_n = Π_{i ≤ n}(1 − β_i) of a schedule, in double precision. */
    private static double[] alphaBars(double[] beta) {
        double[] alphaBar = new double[beta.length];
        double acc = 1;
        for (int i = 0; i < beta.length; i++) {
            acc *= 1 - beta[i];
            alphaBar[i] = acc;
        }
        return alphaBar;
    }

    /** The mel [3][frames] row-major, as the network's [1, 3, frames] input. */
    private static float[] flat(float[][] mel) {
        int frames = mel[0].length;
        float[] flatMel = new float[3 * frames];
        for (int b = 0; b < 3; b++) {
            System.arraycopy(mel[b], 0, flatMel, b * frames, frames);
        }
        return flatMel;
    }

    /** A listener that keeps a copy of every step's sample. */
    private static SamplingListener recording(List<float[]> produced) {
        return new SamplingListener() {
            @Override
            public boolean wantsSamples() {
                return true;
            }

            @Override
            public void onStep(int index, int t, NDArray x) {
                produced.add(x.toFloatArray());
            }
        };
    }

    /**
     * One step of lmnt-com/wavegrad inference.py in double precision from y:
     * clamp((y − β_n/√(1 − ᾱ_n)·ε̂(y, √ᾱ_n))/√α_n + σ_n·s⊙z, −1, 1) with σ_n² = (1 − ᾱ_{n−1})/(1 − ᾱ_n)·β_n, no
     * noise when z is null (the last step), and s = 1 when null (PriorGrad's step scales the noise by s).
     */
    private static double[] lmntStep(WaveGrad model, ParameterStore ps, NDArray mel, float[] y, double[] beta,
                                     double[] alphaBar, int step, float[] z, float[] s) {
        NDManager m = mel.getManager();
        float[] eps = model.forward(ps, new NDList(m.create(y, new Shape(1, y.length)),
                m.create(new float[] {(float) Math.sqrt(alphaBar[step])}), mel), false).head().toFloatArray();
        double c1 = 1 / Math.sqrt(1 - beta[step]);
        double c2 = beta[step] / Math.sqrt(1 - alphaBar[step]);
        double sigma = step > 0 ? Math.sqrt((1 - alphaBar[step - 1]) / (1 - alphaBar[step]) * beta[step]) : 0;
        double[] next = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double noise = z == null ? 0 : sigma * (s == null ? 1 : s[i]) * z[i];
            next[i] = Math.max(-1, Math.min(1, c1 * (y[i] - c2 * eps[i]) + noise));
        }
        return next;
    }

    /**
     * lmnt-com/wavegrad inference.py, one step at a time in double precision, checked against every sample core's
     * loop produced: y_N ~ N(0, I) (core draws x_T first, then one z per step that adds noise), then
     * y ← (y − β_n/√(1 − ᾱ_n)·ε̂(y, √ᾱ_n))/√α_n, plus σ_n·z with σ_n² = (1 − ᾱ_{n−1})/(1 − ᾱ_n)·β_n for n > 0,
     * clamped to [−1, 1]. Each step starts from core's previous sample, so float rounding does not compound
     * through the (random, high-gain) network.
     *
     * @return the largest difference over all steps and samples
     */
    private static double maxStepError(WaveGrad model, NDManager m, float[][] mel, InferenceSchedule schedule, long seed) {
        int frames = mel[0].length;
        int samples = frames * model.config().hop();
        double[] beta = schedule.betas();
        int n = beta.length;
        double[] alphaBar = alphaBars(beta);
        float[] flatMel = flat(mel);
        List<float[]> produced = new ArrayList<>();
        SamplingListener listener = recording(produced);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray melArray = m.create(flatMel, new Shape(1, 3, frames));
        float[] last = WaveGradVocoder.sampler(schedule).sample(new WaveGradDenoiser(model, ps, beta, false),
                new Shape(1, samples), SamplingOptions.builder(m).seed(seed).conditioning(new NDList(melArray)).listener(listener).build())
                .toFloatArray();
        assertEquals(n, produced.size());
        assertArrayEquals(produced.get(n - 1), last, 0f);
        assertArrayEquals(last, new WaveGradVocoder(model, m).vocode(mel, schedule, seed), 0f);

        NoiseSource noise = NoiseSource.seeded(seed);
        float[] y = noise.normal(m, new Shape(1, samples), DataType.FLOAT32).toFloatArray();
        double worst = 0;
        for (int k = 0; k < n; k++) {
            int step = n - 1 - k;
            float[] z = step > 0 ? noise.normal(m, new Shape(1, samples), DataType.FLOAT32).toFloatArray() : null;
            double[] next = lmntStep(model, ps, melArray, y, beta, alphaBar, step, z, null);
            float[] core = produced.get(k);
            for (int i = 0; i < samples; i++) {
                worst = Math.max(worst, Math.abs(next[i] - core[i]));
            }
            y = core;
        }
        return worst;
    }

    @Test
    void vocodingIsLmntsInferenceLoopOnEverySchedule() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = tinyModel(m);
            WaveGradVocoder vocoder = new WaveGradVocoder(model, m);
            float[][] mel = mel(5);
            for (InferenceSchedule s : List.of(InferenceSchedule.ivanvovk6(), InferenceSchedule.fibonacci25(),
                    new InferenceSchedule("big-steps", new double[] {0.2, 0.5, 0.9}))) {
                double err = maxStepError(model, m, mel, s, 42);
                assertTrue(err < 1e-4, s.name() + ": max |core step − lmnt step| = " + err);
                assertEquals(30, vocoder.vocode(mel, s, 42).length);
            }
            // same seed, same audio; another seed, other audio
            assertArrayEquals(vocoder.vocode(mel, InferenceSchedule.ivanvovk6(), 1),
                    vocoder.vocode(mel, InferenceSchedule.ivanvovk6(), 1), 0f);
            float[] a = vocoder.vocode(mel, InferenceSchedule.ivanvovk6(), 1);
            float[] b = vocoder.vocode(mel, InferenceSchedule.ivanvovk6(), 2);
            double d = 0;
            int saturated = 0;
            for (int i = 0; i < a.length; i++) {
                d += Math.abs(a[i] - b[i]);
                saturated += Math.abs(a[i]) == 1f ? 1 : 0;
            }
            assertTrue(saturated < a.length, "precondition: the fixture network leaves some samples inside (-1, 1)");
            assertTrue(d > 1e-3, "seeds 1 and 2 gave the same audio");
        }
    }

    /**
     * With a PriorGrad prior in the config, vocoding is PriorGrad-vocoder's inference loop in the signal's own
     * space, run here in the test: y_N = s⊙ξ, y ← (y − β_n/√(1 − ᾱ_n)·ε̂(y))/√α_n + σ_n·s⊙z, clamped to [−1, 1],
     * with s the prior's std of the mel and the same draws (ξ first, then one z per noisy step). The vocoder runs
     * it as standard diffusion on y/s, so this checks the change of variables, the clamp of s⊙z and the final
     * rescaling. Compared on the final audio (float rounding goes through six network calls: 1e-4).
     */
    @Test
    void withAPriorVocodingIsPriorGradsLoopInTheSignalsSpace() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] mel = mel(5);
            MelEnergyPrior prior = MelEnergyPrior.fit(List.<float[][]>of(mel), new MelRecipe(22050, 2048, 1200, 6, 3, 20, 11025, 1,
                    true, 1e-5, 20, 100), 0.1);
            WaveGrad model = new WaveGrad(tiny().toBuilder().prior(prior).build());
            model.initialize(m, DataType.FLOAT32);
            RandomWeights.randomise(model, new java.util.Random(11), 0.3);   // tinyModel's weights
            InferenceSchedule schedule = InferenceSchedule.ivanvovk6();
            long seed = 42;
            float[] got = new WaveGradVocoder(model, m).vocode(mel, schedule, seed);

            int samples = 30;
            float[] s = prior.std(mel, 6);
            double[] beta = schedule.betas();
            double[] alphaBar = alphaBars(beta);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray melArray = m.create(flat(mel), new Shape(1, 3, 5));
            NoiseSource noise = NoiseSource.seeded(seed);
            float[] xi = noise.normal(m, new Shape(1, samples), DataType.FLOAT32).toFloatArray();
            float[] y = new float[samples];
            for (int i = 0; i < samples; i++) {
                y[i] = s[i] * xi[i];
            }
            for (int step = beta.length - 1; step >= 0; step--) {
                float[] z = step > 0 ? noise.normal(m, new Shape(1, samples), DataType.FLOAT32).toFloatArray() : null;
                double[] next = lmntStep(model, ps, melArray, y, beta, alphaBar, step, z, s);
                for (int i = 0; i < samples; i++) {
                    y[i] = (float) next[i];
                }
            }
            double worst = 0;
            int inside = 0;
            for (int i = 0; i < samples; i++) {
                worst = Math.max(worst, Math.abs(y[i] - got[i]));
                inside += Math.abs(y[i]) < 1 ? 1 : 0;
            }
            // the untrained network saturates many samples; the comparison needs some that are not clamped
            assertTrue(inside >= samples / 4, "precondition: a quarter of the samples inside (-1, 1), got " + inside);
            assertTrue(worst < 1e-4, "max |vocoder − PriorGrad loop| = " + worst);
            // the prior matters: the same weights (same draws) without it give other audio
            WaveGrad plain = tinyModel(m);
            assertArrayEquals(model.parameters().get("last_conv.weight").getArray().toFloatArray(),
                    plain.parameters().get("last_conv.weight").getArray().toFloatArray(), 0f);
            float[] isotropic = new WaveGradVocoder(plain, m).vocode(mel, schedule, seed);
            double d = 0;
            for (int i = 0; i < samples; i++) {
                d += Math.abs(isotropic[i] - got[i]);
            }
            assertTrue(d > 1e-2, "with and without the prior: the same audio");
        }
    }

    /**
     * η = 0 is DDIM's deterministic path (Song et al. 2021 eq. 12), recomputed here in double precision from each of
     * core's samples: x̂₀ = (y − √(1 − ᾱ_n)·ε̂)/√ᾱ_n, y ← √ᾱ_{n−1}·x̂₀ + √(1 − ᾱ_{n−1})·ε̂ (ᾱ_{−1} = 1, so the last
     * step returns x̂₀), clamped to [−1, 1]; only the start is random, so every seed's start gives one fixed path.
     */
    @Test
    void etaZeroIsTheDeterministicDdimPath() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = tinyModel(m);
            float[][] mel = mel(5);
            int samples = 30;
            InferenceSchedule schedule = InferenceSchedule.ivanvovk6();
            double[] beta = schedule.betas();
            int n = beta.length;
            double[] alphaBar = alphaBars(beta);
            NDArray melArray = m.create(flat(mel), new Shape(1, 3, 5));
            List<float[]> produced = new ArrayList<>();
            SamplingListener listener = recording(produced);
            ParameterStore ps = new ParameterStore(m, false);
            WaveGradVocoder.sampler(schedule, 0.0).sample(new WaveGradDenoiser(model, ps, beta, false), new Shape(1, samples),
                    SamplingOptions.builder(m).seed(7).conditioning(new NDList(melArray)).listener(listener).build());
            assertEquals(n, produced.size());
            float[] y = NoiseSource.seeded(7).normal(m, new Shape(1, samples), DataType.FLOAT32).toFloatArray();
            double worst = 0;
            for (int k = 0; k < n; k++) {
                int step = n - 1 - k;
                float[] eps = model.forward(ps, new NDList(m.create(y, new Shape(1, samples)),
                        m.create(new float[] {(float) Math.sqrt(alphaBar[step])}), melArray), false).head().toFloatArray();
                double abarPrev = step > 0 ? alphaBar[step - 1] : 1.0;
                float[] core = produced.get(k);
                for (int i = 0; i < samples; i++) {
                    double x0 = (y[i] - Math.sqrt(1 - alphaBar[step]) * eps[i]) / Math.sqrt(alphaBar[step]);
                    double next = Math.sqrt(abarPrev) * x0 + Math.sqrt(1 - abarPrev) * eps[i];
                    next = Math.max(-1, Math.min(1, next));
                    worst = Math.max(worst, Math.abs(next - core[i]));
                }
                y = core;
            }
            assertTrue(worst < 1e-4, "max |core step − DDIM step| = " + worst);
            assertArrayEquals(produced.get(n - 1), new WaveGradVocoder(model, m, 0.0).vocode(mel, schedule, 7), 0f);
            // a partial η lies on neither path
            float[] half = new WaveGradVocoder(model, m, 0.5).vocode(mel, schedule, 7);
            float[] ddpm = new WaveGradVocoder(model, m).vocode(mel, schedule, 7);
            double dDdim = 0;
            double dDdpm = 0;
            for (int i = 0; i < samples; i++) {
                dDdim += Math.abs(half[i] - produced.get(n - 1)[i]);
                dDdpm += Math.abs(half[i] - ddpm[i]);
            }
            assertTrue(dDdim > 1e-3 && dDdpm > 1e-3, "eta 0.5 matched a neighbour: " + dDdim + ", " + dDdpm);
            for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WaveGradVocoder(model, m, bad));
                assertTrue(e.getMessage().contains("eta: expected a value in [0, 1]"), e.getMessage());
            }
        }
    }

    /** A listener hears every step of the schedule, in order, and listening changes nothing in the audio. */
    @Test
    void aListenerHearsEveryStepAndChangesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGradVocoder vocoder = new WaveGradVocoder(tinyModel(m), m);
            float[][] mel = mel(4);
            InferenceSchedule schedule = InferenceSchedule.ivanvovk6();
            List<Integer> steps = new ArrayList<>();
            int[] started = new int[1];
            boolean[] ended = new boolean[1];
            SamplingListener listener = new SamplingListener() {
                @Override
                public void onStart(int totalSteps) {
                    started[0] = totalSteps;
                }

                @Override
                public void onStep(int index, int t, NDArray x) {
                    steps.add(index);
                }

                @Override
                public void onEnd() {
                    ended[0] = true;
                }
            };
            float[] heard = vocoder.vocode(mel, schedule, 3, listener);
            assertEquals(6, started[0]);
            assertEquals(List.of(0, 1, 2, 3, 4, 5), steps);
            assertTrue(ended[0]);
            assertArrayEquals(vocoder.vocode(mel, schedule, 3), heard, 0f);
        }
    }

    @Test
    void batchedVocodingGivesOneClampedClipPerMel() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = tinyModel(m);
            float[][][] mels = {mel(4), mel(4), mel(4)};
            float[][] out = new WaveGradVocoder(model, m).vocodeBatch(mels, InferenceSchedule.ivanvovk6(), 3);
            assertEquals(3, out.length);
            for (float[] row : out) {
                assertEquals(24, row.length);
                for (float v : row) {
                    assertTrue(v >= -1f && v <= 1f, "sample " + v);
                }
            }
        }
    }

    /**
     * Windows of a few frames give the audio of one whole forward per step: the same noise, and ε̂ equal to float
     * round-off, through every step of a 6-step schedule (the clamp can only shrink a difference). With
     * {@link #tinyModel}'s weights one forward's whole-vs-windowed difference is about 2e-6 and a window short of
     * context is off by about 10 (both measured).
     */
    @Test
    void windowedNetworkCallsGiveTheSameAudio() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = tinyModel(m);
            float[][][] mels = {mel(40), mel(40)};
            float[][] whole = new WaveGradVocoder(model, m, 1.0, 40).vocodeBatch(mels, InferenceSchedule.ivanvovk6(), 5);
            float[][] windows = new WaveGradVocoder(model, m, 1.0, 3).vocodeBatch(mels, InferenceSchedule.ivanvovk6(), 5);
            for (int i = 0; i < whole.length; i++) {
                assertArrayEquals(whole[i], windows[i], 1e-4f, "clip " + i);
            }
            assertEquals(ChunkedForward.defaultFramesPerCall(model.config()), new WaveGradVocoder(model, m).framesPerCall());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WaveGradVocoder(model, m, 1.0, -1));
            assertEquals("framesPerCall: expected >= 1, or 0 for the model's default, got -1", e.getMessage());
        }
    }

    @Test
    void everyIntermediateSampleIsClamped() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> steps = new ArrayList<>();
            SamplingListener listener = recording(steps);
            // a denoiser far off the data: unclamped, DDPM would leave [−1, 1] at once
            NDArray out = WaveGradVocoder.sampler(InferenceSchedule.ivanvovk6()).sample((xt, t, c) -> xt.mul(-40f),
                    new Shape(2, 50), SamplingOptions.builder(m).seed(0).listener(listener).build());
            assertEquals(6, steps.size());
            boolean touched = false;
            for (float[] s : steps) {
                for (float v : s) {
                    assertTrue(v >= -1f && v <= 1f, "sample " + v);
                    touched |= Math.abs(v) == 1f;
                }
            }
            assertTrue(touched, "the test denoiser never reached the clamp");
            assertEquals(new Shape(2, 50), out.getShape());
        }
    }

    @Test
    void badMelsAreRefusedWithTheExpectedShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = tinyModel(m);
            WaveGradVocoder v = new WaveGradVocoder(model, m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.vocode(new float[4][5], InferenceSchedule.ivanvovk6(), 0));
            assertTrue(e.getMessage().contains("expected 3 mel bands") && e.getMessage().contains("got 4"), e.getMessage());
            float[][] ragged = {new float[5], new float[4], new float[5]};
            e = assertThrows(IllegalArgumentException.class, () -> v.vocode(ragged, InferenceSchedule.ivanvovk6(), 0));
            assertTrue(e.getMessage().contains("expected 5 frames"), e.getMessage());
            float[][] nan = mel(2);
            nan[1][1] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> v.vocode(nan, InferenceSchedule.ivanvovk6(), 0));
        }
    }
}
