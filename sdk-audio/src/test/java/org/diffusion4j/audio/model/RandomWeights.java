package org.diffusion4j.audio.model;

import ai.djl.nn.Parameter;
import java.util.Random;

/** Test fixture: overwrites a network's parameters with seeded Gaussian draws. */
public final class RandomWeights {

    private RandomWeights() {
    }

    /**
     * Every parameter drawn from N(0, std²): zero-initialised layers would hide parts of the computation, and
     * DJL's initialisation of a tiny network gives outputs of order 10⁴, at which float round-off alone exceeds
     * any absolute tolerance a test could state.
     */
    public static void randomise(WaveGrad model, Random r, double std) {
        for (Parameter p : model.parameters().values()) {
            float[] v = new float[(int) p.getArray().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (std * r.nextGaussian());
            }
            org.diffusion4j.core.memory.NativeArrays.copyInto(p.getArray(), v);
        }
    }
}
