package org.diffusion4j.audio.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicReference;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.schedule.ContinuousNoiseLevels;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.TrainingBatch;
import org.junit.jupiter.api.Test;

class WaveGradObjectiveTest {

    private static final ContinuousNoiseLevels LEVELS = new ContinuousNoiseLevels(InferenceSchedule.train1000());

    /** The same draws the objective makes, replayed from the same seed: levels first, then ε. */
    private static float[] replayLevels(long seed, int b) {
        return LEVELS.sample(NoiseSource.seeded(seed), b);
    }

    @Test
    void zeroPredictionGivesTheMeanAbsoluteNoiseAndTheNetworkSeesTheMixture() {
        int b = 3;
        int n = 50;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y0 = new float[b * n];
            for (int i = 0; i < y0.length; i++) {
                y0[i] = (float) Math.sin(0.37 * i);
            }
            NDArray x0 = m.create(y0, new Shape(b, n));
            NDArray mel = m.zeros(new Shape(b, 4, 2));
            AtomicReference<float[]> seenY = new AtomicReference<>();
            AtomicReference<float[]> seenLevel = new AtomicReference<>();
            WaveGradObjective objective = new WaveGradObjective(LEVELS);
            NDArray loss = objective.losses(null, (xt, level, cond) -> {
                seenY.set(xt.toFloatArray());
                seenLevel.set(level.toFloatArray());
                assertEquals(1, cond.size());
                return xt.zerosLike();
            }, TrainingBatch.of(x0, mel), m.zeros(new Shape(b), DataType.INT64), NoiseSource.seeded(11));

            // independent replay of the draws
            NoiseSource rng = NoiseSource.seeded(11);
            float[] l = LEVELS.sample(rng, b);
            float[] eps = rng.normal(m, new Shape(b, n), DataType.FLOAT32).toFloatArray();
            assertArrayEquals(l, seenLevel.get(), 0f);
            double[] expected = new double[b];
            for (int i = 0; i < b; i++) {
                assertTrue(l[i] > 0.08 && l[i] <= 1.0, "level " + l[i]);
                double s = Math.sqrt(1 - (double) l[i] * l[i]);
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    assertEquals(l[i] * y0[k] + s * eps[k], seenY.get()[k], 1e-5);
                    expected[i] += Math.abs(eps[k]) / n;
                }
            }
            float[] got = loss.toFloatArray();
            assertEquals(b, got.length);
            for (int i = 0; i < b; i++) {
                assertEquals(expected[i], got[i], 1e-5);
            }
        }
    }

    @Test
    void anOracleThatRecoversTheNoiseHasZeroLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f}, new Shape(2, 3));
            // ε = (y − l·y0)/√(1 − l²): the oracle knows y0
            NDArray loss = new WaveGradObjective(LEVELS).losses(null, (xt, level, cond) -> {
                NDArray l = level.reshape(2, 1);
                return xt.sub(x0.mul(l)).div(l.square().neg().add(1).sqrt());
            }, TrainingBatch.of(x0, m.zeros(new Shape(2, 4, 1))), m.zeros(new Shape(2), DataType.INT64), NoiseSource.seeded(3));
            for (float v : loss.toFloatArray()) {
                assertEquals(0, v, 1e-4);
            }
            assertEquals(2, replayLevels(3, 2).length);
        }
    }

    /**
     * PriorGrad: the network sees l·y₀ + √(1 − l²)·s⊙ε with s the prior's per-sample std of the batch's mel, and the
     * loss is mean |ε − ε̂/s|, replayed here from the same seed with s from the per-clip (float) form of the prior.
     */
    /** A one-block network config with 2 mel bands, the given hop and prior (the objective reads only these). */
    private static WaveGradConfig network(int hop, MelEnergyPrior prior) {
        return WaveGradConfig.builder().nMels(2).hop(hop).upFactors(hop).upChannels(2)
                .upDilations(new int[][] {{1, 1, 1, 1}}).firstDownChannels(2).downChannels().melEmbedChannels(2)
                .prior(prior).build();
    }

    /** Mels [b][2][frames] with value base + step·(clipWeight·i + k + f) for clip i, band k, frame f. */
    private static float[][][] twoBandMels(int b, int frames, double base, double step, int clipWeight) {
        float[][][] mels = new float[b][2][frames];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < 2; k++) {
                for (int f = 0; f < frames; f++) {
                    mels[i][k][f] = (float) (base + step * (clipWeight * i + k + f));
                }
            }
        }
        return mels;
    }

    /** [b][bands][frames] flattened in C order, the layout of a mel batch [B, nMels, F]. */
    private static float[] flat(float[][][] mels) {
        int bands = mels[0].length;
        int frames = mels[0][0].length;
        float[] out = new float[mels.length * bands * frames];
        for (int i = 0; i < mels.length; i++) {
            for (int k = 0; k < bands; k++) {
                System.arraycopy(mels[i][k], 0, out, (i * bands + k) * frames, frames);
            }
        }
        return out;
    }

    @Test
    void withAPriorTheNoiseIsShapedBySAndTheLossIsWhitened() {
        int b = 2;
        int frames = 3;
        int hop = 4;
        int n = frames * hop;
        MelEnergyPrior prior = new MelEnergyPrior(0.05, 0.4, 0.1, 20, 100);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y0 = new float[b * n];
            for (int i = 0; i < y0.length; i++) {
                y0[i] = (float) (0.3 * Math.cos(0.21 * i));
            }
            float[][][] mels = twoBandMels(b, frames, 0.1, 0.15, 1);
            float[] flatMel = flat(mels);
            AtomicReference<float[]> seenY = new AtomicReference<>();
            // a network that answers 0.5·x: its whitened error is |ε − 0.5·y/s|
            NDArray loss = new WaveGradObjective(LEVELS, network(hop, prior)).losses(null, (xt, level, cond) -> {
                seenY.set(xt.toFloatArray());
                return xt.mul(0.5f);
            }, TrainingBatch.of(m.create(y0, new Shape(b, n)), m.create(flatMel, new Shape(b, 2, frames))),
                    m.zeros(new Shape(b), DataType.INT64), NoiseSource.seeded(7));

            NoiseSource rng = NoiseSource.seeded(7);
            float[] l = LEVELS.sample(rng, b);
            float[] eps = rng.normal(m, new Shape(b, n), DataType.FLOAT32).toFloatArray();
            float[] got = loss.toFloatArray();
            boolean shaped = false;
            for (int i = 0; i < b; i++) {
                float[] s = prior.std(mels[i], hop);
                double sigma = Math.sqrt(1 - (double) l[i] * l[i]);
                double expected = 0;
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    double y = l[i] * y0[k] + sigma * s[j] * eps[k];
                    assertEquals(y, seenY.get()[k], 1e-5);
                    expected += Math.abs(eps[k] - 0.5 * y / s[j]) / n;
                    shaped |= Math.abs(s[j] - 1) > 0.1;
                }
                assertEquals(expected, got[i], 1e-4 * Math.max(1, expected));
            }
            assertTrue(shaped, "precondition: the fixture's s differs from 1");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WaveGradObjective(LEVELS,
                    network(5, prior)).losses(null, (xt, level, cond) -> xt, TrainingBatch.of(m.create(y0, new Shape(b, n)),
                    m.create(flatMel, new Shape(b, 2, frames))), m.zeros(new Shape(b), DataType.INT64), NoiseSource.seeded(7)));
            assertTrue(e.getMessage().contains("hop·frames"), e.getMessage());
        }
    }

    /**
     * L2 on the noise: with a network answering 0.5·y the loss is mean (ε − 0.5·y)² per example, replayed from the same
     * seed; the L1 objective on the same draws gives mean |ε − 0.5·y|, so the switch changes the distance and nothing
     * else. With a prior the squared residual is the whitened one, (ε − 0.5·y/s)².
     */
    @Test
    void theL2LossIsTheMeanSquaredNoiseResidualOnTheSameDraws() {
        int b = 3;
        int frames = 2;
        int hop = 5;
        int n = frames * hop;
        MelEnergyPrior prior = new MelEnergyPrior(0.05, 0.4, 0.1, 20, 100);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y0 = new float[b * n];
            for (int i = 0; i < y0.length; i++) {
                y0[i] = (float) (0.4 * Math.sin(0.53 * i + 0.2));
            }
            float[][][] mels = twoBandMels(b, frames, 0.2, 0.1, 2);
            float[] flatMel = flat(mels);
            TrainingBatch batch = TrainingBatch.of(m.create(y0, new Shape(b, n)), m.create(flatMel, new Shape(b, 2, frames)));
            NDArray t = m.zeros(new Shape(b), DataType.INT64);
            org.diffusion4j.core.model.Denoiser half = (xt, level, cond) -> xt.mul(0.5f);
            WaveGradObjective l1 = new WaveGradObjective(LEVELS);
            WaveGradObjective l2 = l1.withNoiseLoss(WaveGradObjective.NoiseLoss.L2);
            assertEquals(WaveGradObjective.NoiseLoss.L1, l1.noiseLoss());
            assertEquals(WaveGradObjective.NoiseLoss.L2, l2.noiseLoss());
            float[] gotL1 = l1.losses(null, half, batch, t, NoiseSource.seeded(5)).toFloatArray();
            float[] gotL2 = l2.losses(null, half, batch, t, NoiseSource.seeded(5)).toFloatArray();
            float[] gotPrior = new WaveGradObjective(LEVELS, network(hop, prior)).withNoiseLoss(WaveGradObjective.NoiseLoss.L2)
                    .losses(null, half, batch, t, NoiseSource.seeded(5)).toFloatArray();

            NoiseSource rng = NoiseSource.seeded(5);
            float[] l = LEVELS.sample(rng, b);
            float[] eps = rng.normal(m, new Shape(b, n), DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < b; i++) {
                double sigma = Math.sqrt(1 - (double) l[i] * l[i]);
                float[] s = prior.std(mels[i], hop);
                double abs = 0;
                double sq = 0;
                double whitened = 0;
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    double r = eps[k] - 0.5 * (l[i] * y0[k] + sigma * eps[k]);
                    abs += Math.abs(r) / n;
                    sq += r * r / n;
                    double rs = eps[k] - 0.5 * (l[i] * y0[k] + sigma * s[j] * eps[k]) / s[j];
                    whitened += rs * rs / n;
                }
                assertEquals(abs, gotL1[i], 1e-5 * Math.max(1, abs));
                assertEquals(sq, gotL2[i], 1e-5 * Math.max(1, sq));
                assertEquals(whitened, gotPrior[i], 1e-4 * Math.max(1, whitened));
                assertTrue(Math.abs(sq - abs) > 1e-3, "precondition: the two distances differ on this fixture");
            }
            assertThrows(NullPointerException.class, () -> l1.withNoiseLoss(null));
        }
    }

    @Test
    void badBatchesAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGradObjective o = new WaveGradObjective(LEVELS);
            NDArray t = m.zeros(new Shape(2), DataType.INT64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.losses(null,
                    (xt, l, c) -> xt, TrainingBatch.of(m.zeros(new Shape(2, 1, 6)), m.zeros(new Shape(2, 4, 1))), t,
                    NoiseSource.seeded(0)));
            assertTrue(e.getMessage().contains("[B, T]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> o.losses(null, (xt, l, c) -> xt,
                    new TrainingBatch(m.zeros(new Shape(2, 6)), new NDList()), t, NoiseSource.seeded(0)));
            assertTrue(e.getMessage().contains("mel"), e.getMessage());
        }
    }
    /**
     * The auxiliary term's log-magnitude distance is the log-magnitude half of the project's MR-STFT metric
     * (MultiResolutionStftDistance, a double-precision Java STFT): per example, mean over the three resolutions, to
     * float32 precision (1e-4 relative, for values near 1).
     */
    @Test
    void theSpectralTermIsTheLogMagnitudeHalfOfTheMrStftMetric() {
        int n = 4_000;
        java.util.Random r = new java.util.Random(8);
        float[][] a = new float[2][n];
        float[][] b = new float[2][n];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = (float) (0.3 * Math.sin(0.05 * j * (i + 1)) + 0.05 * r.nextGaussian());
                b[i][j] = (float) (0.2 * Math.sin(0.05 * j * (i + 1) + 0.3) + 0.1 * r.nextGaussian());
            }
        }
        org.diffusion4j.audio.metrics.MultiResolutionStftDistance metric = new org.diffusion4j.audio.metrics.MultiResolutionStftDistance();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] flatA = new float[2 * n];
            float[] flatB = new float[2 * n];
            for (int i = 0; i < 2; i++) {
                System.arraycopy(a[i], 0, flatA, i * n, n);
                System.arraycopy(b[i], 0, flatB, i * n, n);
            }
            float[] got = WaveGradObjective.logMagnitudeDistance(m.create(flatA, new Shape(2, n)), m.create(flatB, new Shape(2, n)))
                    .toFloatArray();
            for (int i = 0; i < 2; i++) {
                double expected = 0;
                for (int res = 0; res < 3; res++) {
                    expected += metric.terms(a[i], b[i], res).logMagnitude() / 3;
                }
                assertEquals(expected, got[i], 1e-4 * Math.max(1, expected), "example " + i);
            }
        }
    }

    /**
     * With λ > 0 each example's loss is the waveform L1 plus λ·l²·(log-magnitude distance of ŷ₀ from y₀), with the
     * same draws as λ = 0: an oracle that returns the true noise reconstructs y₀ exactly and adds nothing, a zero
     * prediction (ŷ₀ = y/l) adds exactly λ·l²·distance(y/l, y₀), and a negative or infinite λ is refused.
     */
    @Test
    void theSpectralTermAddsLambdaL2TimesTheDistanceOfTheCleanEstimate() {
        int b = 2;
        int n = 3_000;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y0 = new float[b * n];
            for (int i = 0; i < y0.length; i++) {
                y0[i] = (float) (0.4 * Math.sin(0.031 * i) * Math.cos(0.002 * i));
            }
            NDArray x0 = m.create(y0, new Shape(b, n));
            TrainingBatch batch = TrainingBatch.of(x0, m.zeros(new Shape(b, 4, 10)));
            NDArray t = m.zeros(new Shape(b), DataType.INT64);
            WaveGradObjective plain = new WaveGradObjective(LEVELS);
            WaveGradObjective spectral = plain.withSpectralLoss(0.5);
            assertEquals(0.5, spectral.spectralWeight());

            float[] oracle = spectral.losses(null, (xt, level, cond) -> {
                NDArray l = level.reshape(b, 1);
                return xt.sub(x0.mul(l)).div(l.square().neg().add(1).sqrt());
            }, batch, t, NoiseSource.seeded(5)).toFloatArray();
            for (float v : oracle) {
                assertEquals(0, v, 2e-3, "an exact ŷ₀ has (near) zero spectral distance");
            }

            AtomicReference<NDArray> seen = new AtomicReference<>();
            float[] base = plain.losses(null, (xt, level, cond) -> xt.zerosLike(), batch, t, NoiseSource.seeded(6)).toFloatArray();
            float[] withTerm = spectral.losses(null, (xt, level, cond) -> {
                seen.set(xt.duplicate());
                return xt.zerosLike();
            }, batch, t, NoiseSource.seeded(6)).toFloatArray();
            float[] l = replayLevels(6, b);
            NDArray estimate = seen.get().div(m.create(l, new Shape(b, 1)));
            float[] distance = WaveGradObjective.logMagnitudeDistance(estimate, x0).toFloatArray();
            for (int i = 0; i < b; i++) {
                assertEquals(base[i] + 0.5 * l[i] * l[i] * distance[i], withTerm[i], 1e-4 * Math.max(1, withTerm[i]), "example " + i);
                assertTrue(distance[i] > 0.01, "a zero prediction leaves noise in ŷ₀: " + distance[i]);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WaveGradObjective(LEVELS).withSpectralLoss(-0.1));
        assertTrue(e.getMessage().contains("spectralWeight") && e.getMessage().contains("-0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WaveGradObjective(LEVELS).withSpectralLoss(Double.POSITIVE_INFINITY));
    }
}
