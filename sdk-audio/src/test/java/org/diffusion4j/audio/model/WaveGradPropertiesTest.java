package org.diffusion4j.audio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.core.random.NoiseSource;

class WaveGradPropertiesTest {

    /** Output is [N, 1, hop·F]; each batch row depends only on its own inputs; [N,T] and [N,1,T] agree. */
    @Property(tries = 12)
    void batchRowsAreIndependentAndShapesFollowTheMel(@ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll @IntRange(min = 1, max = 6) int frames, @ForAll long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            WaveGradConfig cfg = WaveGradTest.tiny(1);
            WaveGrad model = new WaveGrad(cfg);
            model.initialize(m, DataType.FLOAT32);
            NoiseSource noise = NoiseSource.seeded(seed);
            int t = cfg.hop() * frames;
            NDArray audio = noise.normal(m, new Shape(batch, t), DataType.FLOAT32);
            NDArray mel = noise.normal(m, new Shape(batch, cfg.nMels(), frames), DataType.FLOAT32);
            float[] lv = new float[batch];
            for (int i = 0; i < batch; i++) {
                lv[i] = (float) noise.nextDouble();
            }
            NDArray level = m.create(lv);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray out = model.forward(ps, new NDList(audio, level, mel), false).head();
            assertEquals(new Shape(batch, 1, t), out.getShape());
            NDArray out3 = model.forward(ps, new NDList(audio.reshape(batch, 1, t), level, mel), false).head();
            assertEquals(0f, out.sub(out3).abs().max().getFloat(), 0f);
            // batched and single-row convolutions may use different kernels: allow float32 accumulation
            // round-off, 1e-5 relative to the output's scale
            float tol = 1e-5f * Math.max(1f, out.abs().max().getFloat());
            for (int i = 0; i < batch; i++) {
                NDIndex row = new NDIndex(i + ":" + (i + 1));
                NDArray single = model.forward(ps, new NDList(audio.get(row), level.get(row), mel.get(row)), false).head();
                float diff = single.sub(out.get(row)).abs().max().getFloat();
                assertEquals(0f, diff, tol, "row " + i + " (output scale " + out.abs().max().getFloat() + ")");
            }
        }
    }
}
