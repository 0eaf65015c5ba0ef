package org.diffusion4j.audio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

class ChunkedForwardTest {

    /**
     * A network of random shape with few channels: 1 to 3 blocks, factors 1 to 4, dilations 1 to 4. Every layer kind of
     * lmnt's layout is there, so the reach bound and the windowing are checked beyond the one shape lmnt uses.
     */
    static WaveGradConfig randomShape(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(3);
        int[] factors = new int[n];
        int[][] dilations = new int[n][4];
        int[] up = new int[n];
        int hop = 1;
        for (int i = 0; i < n; i++) {
            factors[i] = 1 + r.nextInt(4);
            hop *= factors[i];
            up[i] = 2 + r.nextInt(3);
            for (int k = 0; k < 4; k++) {
                dilations[i][k] = 1 + r.nextInt(4);
            }
        }
        int[] down = new int[n - 1];
        java.util.Arrays.fill(down, 2 + 2 * r.nextInt(2));
        return WaveGradConfig.builder().nMels(2).hop(hop).upFactors(factors).upChannels(up).upDilations(dilations)
                .firstDownChannels(2).downChannels(down).melEmbedChannels(3).noiseLevelScale(1 + r.nextInt(5000)).build();
    }

    private record Inputs(NDArray audio, NDArray level, NDArray mel) {
    }

    private static Inputs inputs(NDManager m, WaveGradConfig cfg, int batch, int frames, long seed) {
        NoiseSource noise = NoiseSource.seeded(seed);
        NDArray audio = noise.normal(m, new Shape(batch, (long) cfg.hop() * frames), DataType.FLOAT32);
        NDArray mel = noise.normal(m, new Shape(batch, cfg.nMels(), frames), DataType.FLOAT32);
        NDArray level = noise.normal(m, new Shape(batch), DataType.FLOAT32).abs().minimum(1f);
        return new Inputs(audio, level, mel);
    }

    private static float[] whole(WaveGrad model, ParameterStore ps, NDArray audio, NDArray level, NDArray mel) {
        return model.forward(ps, new NDList(audio, level, mel), false).head().toFloatArray();
    }

    private static float scale(float[] a) {
        float s = 1f;
        for (float v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    /**
     * The reach is an upper bound: changing the input at one sample (or one mel frame) leaves every output further away
     * than the reach as it was (to float round-off), and it does change some output (so the check cannot pass by a
     * network that ignores that input).
     */
    @Property(tries = 20)
    void nothingBeyondTheReachDependsOnAnInput(@ForAll long shapeSeed, @ForAll long seed) {
        WaveGradConfig cfg = randomShape(shapeSeed);
        int hop = cfg.hop();
        int reach = cfg.reachSamples();
        int frames = (2 * reach + hop - 1) / hop + 4;
        int samples = frames * hop;
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            Inputs in = inputs(m, cfg, 1, frames, seed);
            float[] before = whole(model, ps, in.audio, in.level, in.mel);
            float tol = 1e-6f * scale(before);

            int p = samples / 2 + new Random(seed).nextInt(hop);
            float[] a = in.audio.toFloatArray();
            a[p] += 1f;
            float[] afterAudio = whole(model, ps, m.create(a, in.audio.getShape()), in.level, in.mel);
            boolean movedByAudio = false;
            for (int i = 0; i < samples; i++) {
                if (Math.abs(i - p) > reach) {
                    assertEquals(before[i], afterAudio[i], tol, "output " + i + " moved with input sample " + p
                            + " beyond the reach " + reach + " (" + cfg + ")");
                }
                movedByAudio |= afterAudio[i] != before[i];
            }
            assertTrue(movedByAudio, "no output moved with input sample " + p);

            int k = frames / 2;
            float[] mel = in.mel.toFloatArray();
            for (int b = 0; b < cfg.nMels(); b++) {
                mel[b * frames + k] += 1f;
            }
            float[] afterMel = whole(model, ps, in.audio, in.level, m.create(mel, in.mel.getShape()));
            boolean movedByMel = false;
            for (int i = 0; i < samples; i++) {
                if (i < k * hop - reach || i > (k + 1) * hop - 1 + reach) {
                    assertEquals(before[i], afterMel[i], tol, "output " + i + " moved with mel frame " + k
                            + " beyond the reach " + reach + " (" + cfg + ")");
                }
                movedByMel |= afterMel[i] != before[i];
            }
            assertTrue(movedByMel, "no output moved with mel frame " + k);
        }
    }

    /** Windowed and whole forwards agree to float32 round-off for any length, window and batch. */
    @Property(tries = 30)
    void windowsGiveTheWholeForward(@ForAll long shapeSeed, @ForAll @IntRange(min = 1, max = 40) int frames,
            @ForAll @IntRange(min = 1, max = 12) int framesPerCall, @ForAll @IntRange(min = 1, max = 2) int batch,
            @ForAll long seed) {
        WaveGradConfig cfg = randomShape(shapeSeed);
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            Inputs in = inputs(m, cfg, batch, frames, seed);
            float[] expected = whole(model, ps, in.audio, in.level, in.mel);
            NDArray got = new ChunkedForward(model, framesPerCall).forward(ps, in.audio, in.level, in.mel);
            assertEquals(new Shape(batch, 1, (long) cfg.hop() * frames), got.getShape());
            float[] g = got.toFloatArray();
            float tol = 1e-5f * scale(expected);
            for (int i = 0; i < g.length; i++) {
                assertEquals(expected[i], g[i], tol, "sample " + i + " of " + g.length + ", " + framesPerCall
                        + " frames per call (" + cfg + ")");
            }
        }
    }

    /** lmnt's layout, layer by layer (the sums in WaveGradConfig.reachSamples' comment), and its context in frames. */
    @Test
    void lmntLayoutNeedsSevenFramesOfContext() {
        // mel conv 300; UBlocks 300→60, 60→12, 12→4, 4→2, 2→1: resampling (r_in − r_out) + Σd·r_out; last conv 1
        int up = 300 + (240 + 6 * 60) + (48 + 6 * 12) + (8 + 15 * 4) + (2 + 15 * 2) + (1 + 15) + 1;
        // input conv 2; FiLMs at rates 1, 2, 4, 12, 60 (±2 each); DBlocks at 2, 4, 12, 60 (±7 each)
        int down = 2 + 2 * (1 + 2 + 4 + 12 + 60) + 7 * (2 + 4 + 12 + 60);
        assertEquals(up + down, WaveGradConfig.base().reachSamples());
        assertEquals(WaveGradConfig.base().reachSamples(), WaveGradConfig.small().reachSamples());
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(WaveGradConfig.small());
            assertEquals(7, new ChunkedForward(model, 100).contextFrames());
        }
    }

    /**
     * The default window holds the widest activation of 128 frames of lmnt's base model (its last UBlock: 128 channels ×
     * 300 samples per frame); the small model's widest (16 × 300 in its last UBlock) fits 8 times as many frames.
     */
    @Test
    void theDefaultWindowFollowsTheWidestActivation() {
        assertEquals(128, ChunkedForward.defaultFramesPerCall(WaveGradConfig.base()));
        assertEquals(1024, ChunkedForward.defaultFramesPerCall(WaveGradConfig.small()));
        // wide: 32 channels in its last two UBlocks, widest 32 × 300 per frame
        assertEquals(512, ChunkedForward.defaultFramesPerCall(WaveGradConfig.wide()));
        // a first UBlock far wider than the rest: 4096 channels × 5 positions per frame
        WaveGradConfig wideFirst = WaveGradConfig.small().toBuilder().upChannels(4096, 64, 32, 16, 16).build();
        assertEquals((int) (ChunkedForward.DEFAULT_WINDOW_FLOATS / (4096 * 5)), ChunkedForward.defaultFramesPerCall(wideFirst));
    }

    /** Each window's arrays are freed with it: the caller's manager gains only the result. */
    @Test
    void windowsLeaveOnlyTheResult() {
        WaveGradConfig cfg = WaveGradTest.tiny(1);
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            try (NDManager call = m.newSubManager()) {
                ParameterStore ps = new ParameterStore(call, false);
                Inputs in = inputs(call, cfg, 2, 50, 1);
                ChunkedForward chunked = new ChunkedForward(model, 4);
                chunked.forward(ps, in.audio, in.level, in.mel).close();
                int before = call.getManagedArrays().size();
                NDArray out = chunked.forward(ps, in.audio, in.level, in.mel);
                assertEquals(before + 1, call.getManagedArrays().size(), "arrays left by 13 windows");
                assertEquals(new Shape(2, 1, 300), out.getShape());
            }
        }
    }

    @Test
    void refusesAnEmptyWindow() {
        WaveGrad model = new WaveGrad(WaveGradTest.tiny(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChunkedForward(model, 0));
        assertEquals("framesPerCall: expected >= 1, got 0", e.getMessage());
    }
}
