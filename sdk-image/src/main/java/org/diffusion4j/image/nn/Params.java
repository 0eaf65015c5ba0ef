package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import org.diffusion4j.core.random.NoiseSource;

/** Helpers shared by the blocks of this package: parameter declaration and seeded fills. */
final class Params {

    private Params() {}

    /**
     * A parameter allocated as a constant: DJL's default initialisers draw from libtorch's global
     * generator, which would make model initialisation depend on unrelated code; the real values come
     * from {@link TorchNamed#initializeWeights(NoiseSource)}.
     */
    static Parameter constant(String name, Parameter.Type type, ai.djl.ndarray.types.Shape shape, float value) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(new ConstantInitializer(value))
                .build();
    }

    /** Fills with U(-bound, bound), PyTorch's default for Linear/Conv (kaiming_uniform with a = sqrt(5)). */
    static void fillUniform(Parameter p, double bound, NoiseSource noise) {
        NDArray a = p.getArray();
        float[] v = new float[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * noise.nextDouble() - 1) * bound);
        }
        copyInto(a, v);
    }

    /** Fills with N(0, 1), PyTorch's default for nn.Embedding. */
    static void fillNormal(Parameter p, NoiseSource noise) {
        NDArray a = p.getArray();
        float[] v = new float[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) noise.nextGaussian();
        }
        copyInto(a, v);
    }

    static void fillConstant(Parameter p, float value) {
        NDArray a = p.getArray();
        float[] v = new float[Math.toIntExact(a.size())];
        java.util.Arrays.fill(v, value);
        copyInto(a, v);
    }

    static void copyInto(NDArray a, float[] v) {
        org.diffusion4j.core.memory.NativeArrays.copyInto(a, v);
    }
}
