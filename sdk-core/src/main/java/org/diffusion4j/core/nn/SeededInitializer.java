package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.memory.NativeArrays;

/**
 * Glorot/Xavier uniform initialisation, U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio 2010,
 * eq. 16), drawn from a {@link NoiseSource}. DJL's own initialisers draw from libtorch's process-wide generator,
 * so two runs with the same seed would start from different weights; this one makes a seed reproduce the run.
 *
 * <p>Fans follow PyTorch's convention for a weight [out, in, k1, k2, ...]: fan_in = in·Πk, fan_out = out·Πk; a
 * 1-D weight uses its length for both. Not thread-safe (it advances its noise source).
 */
public final class SeededInitializer implements Initializer {

    private final NoiseSource noise;
    private final double gain;

    public SeededInitializer(NoiseSource noise, double gain) {
        this.noise = Objects.requireNonNull(noise, "noise");
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain: expected a finite value > 0, got " + gain);
        }
        this.gain = gain;
    }

    /** Unit gain (the right choice in front of SiLU/tanh-like activations at this scale). */
    public SeededInitializer(NoiseSource noise) {
        this(noise, 1.0);
    }

    /** The Glorot bound a = gain·√(6 / (fan_in + fan_out)) for a weight of this shape. */
    public static double bound(Shape shape, double gain) {
        if (shape.dimension() == 0) {
            throw new IllegalArgumentException("shape: expected at least one dimension, got a scalar");
        }
        long fanIn;
        long fanOut;
        if (shape.dimension() == 1) {
            fanIn = shape.get(0);
            fanOut = shape.get(0);
        } else {
            long receptive = 1;
            for (int i = 2; i < shape.dimension(); i++) {
                receptive *= shape.get(i);
            }
            fanIn = shape.get(1) * receptive;
            fanOut = shape.get(0) * receptive;
        }
        return gain * Math.sqrt(6.0 / (fanIn + fanOut));
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        double a = bound(shape, gain);
        long n = shape.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape: at most " + Integer.MAX_VALUE + " elements, got " + shape);
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2.0 * noise.nextDouble() - 1.0) * a);
        }
        NDArray out = NativeArrays.copyOf(manager, values, shape);
        return dataType == DataType.FLOAT32 ? out : out.toType(dataType, false);
    }
}
