package org.diffusion4j.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

class GaussianDiffusionTest {

    private static GaussianDiffusion diffusion(NoiseSchedule s, Prediction p, VarianceType v, LossType l) {
        return GaussianDiffusion.builder().schedule(s).prediction(p).variance(v).loss(l).build();
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT64, false).sub(b.toType(DataType.FLOAT64, false)).abs().max().getDouble();
    }

    @Test
    void qSampleHasTheClosedFormMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        GaussianDiffusion d = diffusion(s, Prediction.EPSILON, VarianceType.FIXED_SMALL, LossType.MSE);
        double[] abar = s.alphasCumprod();
        int n = 100_000;
        long[] ts = {0, 10, 500, 999};
        double[] c = {0.9, -0.5, 0.3, 1.0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new float[] {0.9f, -0.5f, 0.3f, 1.0f}).reshape(4, 1).repeat(1, n);
            NDArray t = m.create(ts);
            NDArray xt = d.qSample(x0, t, NoiseSource.seeded(3));
            float[] v = xt.toFloatArray();
            for (int b = 0; b < 4; b++) {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += v[b * n + i];
                }
                mean /= n;
                double var = 0;
                for (int i = 0; i < n; i++) {
                    double e = v[b * n + i] - mean;
                    var += e * e;
                }
                var /= n - 1;
                double a = abar[(int) ts[b]];
                double expVar = 1 - a;
                // Standard errors: sqrt(var/n) for the mean, var*sqrt(2/(n-1)) for the variance; allow 5 of them
                // (plus float32 rounding of the inputs, ~1e-7).
                assertEquals(Math.sqrt(a) * c[b], mean, 5 * Math.sqrt(expVar / n) + 1e-6, "mean at t=" + ts[b]);
                assertEquals(expVar, var, 5 * expVar * Math.sqrt(2.0 / (n - 1)) + 1e-6, "variance at t=" + ts[b]);
            }
        }
    }

    @Test
    void qMeanVarianceAndPosteriorMatchClosedForms() {
        NoiseSchedule s = NoiseSchedule.cosine(200);
        GaussianDiffusion d = diffusion(s, Prediction.EPSILON, VarianceType.FIXED_SMALL, LossType.MSE);
        double[] b = s.betas();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = NoiseSource.seeded(1).normal(m, new Shape(3, 2, 5), DataType.FLOAT64);
            NDArray xt = NoiseSource.seeded(2).normal(m, new Shape(3, 2, 5), DataType.FLOAT64);
            long[] ts = {0, 1, 150};
            NDArray t = m.create(ts);
            Gaussian q = d.qMeanVariance(x0, t);
            Gaussian post = d.qPosterior(x0, xt, t);
            double[] x0v = x0.toDoubleArray();
            double[] xtv = xt.toDoubleArray();
            double[] qm = q.mean().toDoubleArray();
            double[] pm = post.mean().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                int ti = (int) ts[i];
                double abar = 1;
                for (int k = 0; k <= ti; k++) {
                    abar *= 1 - b[k];
                }
                double abarPrev = abar / (1 - b[ti]);
                double postVar = b[ti] * (1 - abarPrev) / (1 - abar);
                assertEquals(1 - abar, q.variance().getDouble(i, 0, 0), 1e-12);
                assertEquals(Math.log(1 - abar), q.logVariance().getDouble(i, 0, 0), 1e-12);
                assertEquals(postVar, post.variance().getDouble(i, 0, 0), 1e-12);
                for (int j = 0; j < 10; j++) {
                    int k = i * 10 + j;
                    assertEquals(Math.sqrt(abar) * x0v[k], qm[k], 1e-12);
                    double expected = b[ti] * Math.sqrt(abarPrev) / (1 - abar) * x0v[k]
                            + (1 - abarPrev) * Math.sqrt(1 - b[ti]) / (1 - abar) * xtv[k];
                    assertEquals(expected, pm[k], 1e-10);
                }
            }
        }
    }

    @Property(tries = 40)
    void epsX0VRoundTripsOverRandomShapes(@ForAll @IntRange(min = 2, max = 5) int rank,
                                          @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                          @ForAll @IntRange(min = 1, max = 1000) int numTimesteps) {
        NoiseSource rng = NoiseSource.seeded(seed);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = 1 + rng.nextInt(4);
        }
        Shape shape = new Shape(dims);
        GaussianDiffusion d = diffusion(NoiseSchedule.cosine(numTimesteps), Prediction.EPSILON,
                VarianceType.FIXED_SMALL, LossType.MSE);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = rng.normal(m, shape, DataType.FLOAT64);
            NDArray eps = rng.normal(m, shape, DataType.FLOAT64);
            NDArray t = m.create(rng.uniformTimesteps((int) dims[0], numTimesteps));
            NDArray xt = d.qSample(x0, t, eps);
            NDArray v = d.velocity(x0, t, eps);
            assertTrue(maxAbsDiff(d.predictX0FromEps(xt, t, eps), x0) < 1e-6);
            assertTrue(maxAbsDiff(d.predictX0FromV(xt, t, v), x0) < 1e-9);
            assertTrue(maxAbsDiff(d.predictEpsFromV(xt, t, v), eps) < 1e-9);
            assertTrue(maxAbsDiff(d.predictVFromEps(xt, t, eps), v) < 1e-6);
            // ε from x0 divides by √(1/ᾱ − 1), which is tiny at t = 0 of a long schedule: relative tolerance.
            double scale = 1 + xt.abs().max().getDouble() / Math.sqrt(1 / NoiseSchedule.cosine(numTimesteps)
                    .alphasCumprod()[0] - 1);
            assertTrue(maxAbsDiff(d.predictEpsFromX0(xt, t, x0), eps) < 1e-9 * scale);
        }
    }

    @Test
    void float32InputsGetFloat32Coefficients() {
        GaussianDiffusion d = diffusion(NoiseSchedule.linear(100), Prediction.EPSILON, VarianceType.FIXED_SMALL,
                LossType.MSE);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.ones(new Shape(2, 3));
            NDArray xt = d.qSample(x0, m.create(new long[] {5, 50}), m.zeros(new Shape(2, 3)));
            assertEquals(DataType.FLOAT32, xt.getDataType());
            assertEquals((float) Math.sqrt(NoiseSchedule.linear(100).alphasCumprod()[50]), xt.getFloat(1, 2), 1e-7);
        }
    }

    @Test
    void pMeanVarianceRecoversTheTruePosteriorForEveryPredictionAndVariance() {
        NoiseSchedule s = NoiseSchedule.linear(100);
        double[] betas = s.betas();
        double[] pv = s.posteriorVariance();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = NoiseSource.seeded(5).normal(m, new Shape(3, 2, 4), DataType.FLOAT64).clip(-1, 1);
            NDArray eps = NoiseSource.seeded(6).normal(m, new Shape(3, 2, 4), DataType.FLOAT64);
            long[] ts = {0, 37, 99};
            NDArray t = m.create(ts);
            for (Prediction p : Prediction.values()) {
                for (VarianceType v : VarianceType.values()) {
                    GaussianDiffusion d = diffusion(s, p, v, LossType.MSE);
                    NDArray xt = d.qSample(x0, t, eps);
                    NDArray meanOut = switch (p) {
                        case EPSILON -> eps;
                        case X0 -> x0;
                        case V -> d.velocity(x0, t, eps);
                    };
                    NDArray varOut = m.full(new Shape(3, 2, 4), 1.0f).toType(DataType.FLOAT64, false); // v = 1
                    NDArray out = v.isLearned() ? NDArrays.concat(new NDList(meanOut, varOut), 1) : meanOut;
                    ModelDistribution dist = d.pMeanVariance(out, xt, t, false);
                    assertTrue(maxAbsDiff(dist.predX0(), x0) < 1e-6, p + "/" + v);
                    assertTrue(maxAbsDiff(dist.mean(), d.qPosterior(x0, xt, t).mean()) < 1e-6, p + "/" + v);
                    for (int i = 0; i < 3; i++) {
                        int ti = (int) ts[i];
                        double expected = switch (v) {
                            case FIXED_SMALL -> pv[ti];
                            case FIXED_LARGE -> ti == 0 ? pv[1] : betas[ti];
                            case LEARNED -> Math.exp(1.0);
                            case LEARNED_RANGE -> betas[ti]; // v = 1 selects log β_t
                        };
                        double actual = dist.variance().broadcast(3, 2, 4).getDouble(i, 1, 3);
                        assertEquals(expected, actual, 1e-12 * Math.max(1, expected), p + "/" + v + " t=" + ti);
                    }
                }
            }
            // LEARNED_RANGE with v = −1 gives the clipped posterior log variance.
            GaussianDiffusion d = diffusion(s, Prediction.EPSILON, VarianceType.LEARNED_RANGE, LossType.MSE);
            NDArray out = NDArrays.concat(new NDList(eps, eps.onesLike().neg()), 1);
            ModelDistribution dist = d.pMeanVariance(out, eps, t, false);
            assertEquals(Math.log(pv[1]), dist.logVariance().getDouble(0, 0, 0), 1e-12);
            assertEquals(Math.log(pv[37]), dist.logVariance().getDouble(1, 0, 0), 1e-12);
        }
    }

    @Test
    void klIsZeroForEqualGaussiansAndPositiveOtherwise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource rng = NoiseSource.seeded(11);
            NDArray m1 = rng.normal(m, new Shape(1000), DataType.FLOAT64);
            NDArray l1 = rng.normal(m, new Shape(1000), DataType.FLOAT64);
            NDArray m2 = rng.normal(m, new Shape(1000), DataType.FLOAT64);
            NDArray l2 = rng.normal(m, new Shape(1000), DataType.FLOAT64);
            assertEquals(0.0, GaussianMath.normalKl(m1, l1, m1, l1).abs().max().getDouble(), 1e-12);
            double[] kl = GaussianMath.normalKl(m1, l1, m2, l2).toDoubleArray();
            double[] a = m1.toDoubleArray();
            double[] la = l1.toDoubleArray();
            double[] b = m2.toDoubleArray();
            double[] lb = l2.toDoubleArray();
            for (int i = 0; i < kl.length; i++) {
                assertTrue(kl[i] >= 0, "KL must be >= 0");
                // KL(N(a, sa²) ‖ N(b, sb²)) = log(sb/sa) + (sa² + (a − b)²)/(2 sb²) − 1/2
                double sa2 = Math.exp(la[i]);
                double sb2 = Math.exp(lb[i]);
                double expected = 0.5 * Math.log(sb2 / sa2) + (sa2 + (a[i] - b[i]) * (a[i] - b[i])) / (2 * sb2) - 0.5;
                assertEquals(expected, kl[i], 1e-9 * Math.max(1, expected));
            }
        }
    }

    @Property(tries = 30)
    void discretizedLikelihoodOfTheBinsSumsToOne(@ForAll @IntRange(min = -100, max = 100) int meanCenti,
                                                  @ForAll @IntRange(min = -700, max = 100) int logScaleCenti) {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] bins = new double[256];
            for (int k = 0; k < 256; k++) {
                bins[k] = -1 + 2.0 * k / 255;
            }
            NDArray x = m.create(bins);
            NDArray mean = m.full(new Shape(256), meanCenti / 100f).toType(DataType.FLOAT64, false);
            NDArray logScale = m.full(new Shape(256), logScaleCenti / 100f).toType(DataType.FLOAT64, false);
            double total = GaussianMath.discretizedGaussianLogLikelihood(x, mean, logScale).exp().sum().getDouble();
            // The bins telescope to exactly 1; the 1e-12 floor can add at most 256e-12.
            assertEquals(1.0, total, 1e-9);
        }
    }

    @Test
    void perfectModelHasZeroSimpleLossAndZeroKlTerms() {
        NoiseSchedule s = NoiseSchedule.linear(50 * 20);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = NoiseSource.seeded(1).normal(m, new Shape(4, 3, 2), DataType.FLOAT64).clip(-1, 1);
            NDArray noise = NoiseSource.seeded(2).normal(m, new Shape(4, 3, 2), DataType.FLOAT64);
            NDArray t = m.create(new long[] {1, 10, 500, 999});
            for (Prediction p : Prediction.values()) {
                GaussianDiffusion d = diffusion(s, p, VarianceType.FIXED_SMALL, LossType.MSE);
                Denoiser oracle = (xt, tt, cond) -> switch (p) {
                    case EPSILON -> noise;
                    case X0 -> x0;
                    case V -> d.velocity(x0, tt, noise);
                };
                TrainingLosses l = d.trainingLosses(oracle, x0, t, noise, new NDList());
                assertTrue(l.loss().abs().max().getDouble() < 1e-12, p.toString());
                assertNull(l.vb());
                GaussianDiffusion kl = diffusion(s, p, VarianceType.FIXED_SMALL, LossType.KL);
                TrainingLosses k = kl.trainingLosses(oracle, x0, t, noise, new NDList());
                assertTrue(k.loss().abs().max().getDouble() < 1e-6, p + " KL");
                assertNull(k.mse());
            }
            // A model that predicts zero noise has L_simple = mean(ε²).
            GaussianDiffusion d = diffusion(s, Prediction.EPSILON, VarianceType.FIXED_SMALL, LossType.MSE);
            TrainingLosses zero = d.trainingLosses((xt, tt, c) -> xt.zerosLike(), x0, t, noise, new NDList());
            assertTrue(maxAbsDiff(zero.loss(), GaussianMath.meanFlat(noise.square())) < 1e-12);
        }
    }

    @Test
    void hybridLossAddsTheVbTermAndRescalesIt() {
        NoiseSchedule s = NoiseSchedule.cosine(4000);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = NoiseSource.seeded(1).normal(m, new Shape(2, 1, 3), DataType.FLOAT64).clip(-1, 1);
            NDArray noise = NoiseSource.seeded(2).normal(m, new Shape(2, 1, 3), DataType.FLOAT64);
            NDArray t = m.create(new long[] {3, 2000});
            Denoiser model = (xt, tt, c) -> NDArrays.concat(new NDList(noise.mul(0.9), noise.zerosLike()), 1);
            TrainingLosses mse = diffusion(s, Prediction.EPSILON, VarianceType.LEARNED_RANGE, LossType.MSE)
                    .trainingLosses(model, x0, t, noise, new NDList());
            TrainingLosses rescaled = diffusion(s, Prediction.EPSILON, VarianceType.LEARNED_RANGE,
                    LossType.RESCALED_MSE).trainingLosses(model, x0, t, noise, new NDList());
            assertTrue(maxAbsDiff(mse.loss(), mse.mse().add(mse.vb())) < 1e-12);
            assertTrue(maxAbsDiff(rescaled.vb(), mse.vb().mul(4.0)) < 1e-9);
            assertTrue(maxAbsDiff(mse.mse(), GaussianMath.meanFlat(noise.mul(0.1).square())) < 1e-12);
        }
    }

    @Test
    void bitsPerDimOfAPerfectModelIsFiniteAndItsTermsSumToTheTotal() {
        NoiseSchedule s = NoiseSchedule.linear(100);
        GaussianDiffusion d = diffusion(s, Prediction.X0, VarianceType.FIXED_SMALL, LossType.MSE);
        try (NDManager m = NDManager.newBaseManager()) {
            // Data: one fixed point at bin centres; the model knows it exactly.
            double[] values = {-0.2 - 1.0 / 255, 0.6 + 1.0 / 255, 0.0 + 1.0 / 255};
            NDArray x0 = m.create(values).reshape(1, 3).repeat(0, 2).toType(DataType.FLOAT32, false);
            NDArray x0Copy = x0.duplicate();
            Denoiser perfect = (xt, t, cond) -> x0Copy.toType(xt.getDataType(), false);
            BitsPerDim bpd = d.bitsPerDim(perfect, x0, new NDList(), NoiseSource.seeded(9));
            assertEquals(new Shape(2, 100), bpd.vb().getShape());
            float[] vb = bpd.vb().toFloatArray();
            float[] total = bpd.total().toFloatArray();
            float[] prior = bpd.prior().toFloatArray();
            for (int b = 0; b < 2; b++) {
                double sum = prior[b];
                for (int j = 0; j < 100; j++) {
                    sum += vb[b * 100 + j];
                    assertTrue(Float.isFinite(vb[b * 100 + j]));
                }
                assertEquals(sum, total[b], 1e-4);
                // KL terms (columns 0..98 = t 99..1) vanish for a perfect model.
                for (int j = 0; j < 99; j++) {
                    assertEquals(0.0, vb[b * 100 + j], 1e-4, "column " + j);
                }
                // Column 99 is the decoder at t = 0: mean = x0 exactly, σ² = β̃_1; each interior bin has mass
                // Φ(z) − Φ(−z) with z = (1/255)/σ, using the tanh approximation of Φ.
                double sigma = Math.sqrt(s.posteriorVariance()[1]);
                double z = (1.0 / 255) / sigma;
                double expectedBits = -Math.log(approxCdf(z) - approxCdf(-z)) / Math.log(2);
                assertEquals(expectedBits, vb[b * 100 + 99], 1e-3);
                // Prior: KL(N(√ᾱ x0, 1 − ᾱ) ‖ N(0, 1)) averaged over the 3 dims, in bits.
                double abar = s.alphasCumprod()[99];
                double expPrior = 0;
                for (double v : values) {
                    double mu = Math.sqrt(abar) * (float) v;
                    expPrior += 0.5 * (-Math.log(1 - abar) + (1 - abar) + mu * mu - 1);
                }
                assertEquals(expPrior / 3 / Math.log(2), prior[b], 1e-6);
            }
        }
    }

    private static double approxCdf(double x) {
        return 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void respacedProcessShowsTheModelTheOriginalTimesteps() {
        GaussianDiffusion d = diffusion(NoiseSchedule.linear(1000).respace("ddim10"), Prediction.EPSILON,
                VarianceType.FIXED_SMALL, LossType.MSE);
        try (NDManager m = NDManager.newBaseManager()) {
            long[] seen = d.modelTimesteps(m.create(new long[] {0, 3, 9})).toLongArray();
            assertEquals(0, seen[0]);
            assertEquals(300, seen[1]);
            assertEquals(900, seen[2]);
        }
    }

    @Test
    void badInputIsRefusedWithTheArgumentNamed() {
        GaussianDiffusion d = diffusion(NoiseSchedule.linear(100), Prediction.EPSILON, VarianceType.FIXED_SMALL,
                LossType.MSE);
        GaussianDiffusion learned = diffusion(NoiseSchedule.linear(100), Prediction.EPSILON,
                VarianceType.LEARNED_RANGE, LossType.MSE);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 3, 4));
            NDArray t = m.create(new long[] {1, 2});
            assertMessage(() -> d.qSample(x, t, m.zeros(new Shape(2, 3, 5))), "noise", "(2, 3, 5)");
            assertMessage(() -> d.qSample(x, m.create(new int[] {1, 2}), x), "t", "int32");
            assertMessage(() -> d.qSample(x, m.create(new long[] {1, 2, 3}), x), "t", "(3)");
            assertMessage(() -> d.qSample(x, m.create(new long[][] {{1}, {2}}), x), "t", "(2, 1)");
            assertMessage(() -> d.qSample(x, m.create(new long[] {1, 100}), x), "t", "100");
            assertMessage(() -> d.qSample(x, m.create(new long[] {-1, 0}), x), "t", "-1");
            assertMessage(() -> d.qPosterior(x, m.zeros(new Shape(2, 4, 3)), t), "xt", "(2, 4, 3)");
            assertMessage(() -> d.pMeanVariance(m.zeros(new Shape(2, 6, 4)), x, t, true), "modelOutput", "(2, 6, 4)");
            assertMessage(() -> learned.pMeanVariance(x, x, t, true), "modelOutput", "(2, 6, 4)");
            assertMessage(() -> d.predictX0FromEps(x, t, x.toType(DataType.FLOAT64, false)), "eps", "float64");
        }
        assertMessage(() -> GaussianDiffusion.builder().build(), "schedule", "null");
        NoiseSchedule zeroSnr = NoiseSchedule.linear(100).rescaleZeroTerminalSnr();
        assertMessage(() -> diffusion(zeroSnr, Prediction.EPSILON, VarianceType.FIXED_SMALL, LossType.MSE),
                "prediction", "EPSILON");
        // V prediction is well-posed on it.
        diffusion(zeroSnr, Prediction.V, VarianceType.FIXED_SMALL, LossType.MSE);
    }

    private static void assertMessage(Runnable r, String argument, String actual) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(argument) && e.getMessage().contains(actual),
                "message '" + e.getMessage() + "' should name " + argument + " and " + actual);
    }
}
