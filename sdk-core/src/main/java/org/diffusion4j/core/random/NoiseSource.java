package org.diffusion4j.core.random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.diffusion4j.core.memory.NativeArrays;

/**
 * The SDK's only source of randomness: draws are made in Java from an explicit, versioned generator
 * (Commons RNG {@code XO_RO_SHI_RO_128_PP} with the Ziggurat normal sampler) and then copied to the
 * target device. libtorch's global generator is never used, so a seed gives bit-identical noise on CPU
 * and GPU, for any thread count. (DJL's {@code randomNormal} draws from a process-wide generator: see
 * docs/architecture.md.)
 *
 * <p>Not thread-safe: one instance per run. {@link #split()} derives an independent stream deterministically.
 */
public final class NoiseSource {

    private final UniformRandomProvider rng;
    private final ZigguratSampler.NormalizedGaussian gaussian;

    private NoiseSource(UniformRandomProvider rng) {
        this.rng = rng;
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
    }

    /** A generator whose stream depends only on {@code seed}. */
    public static NoiseSource seeded(long seed) {
        return new NoiseSource(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    }

    /** An independent stream derived from this one (advances this stream by one draw). */
    public NoiseSource split() {
        return seeded(rng.nextLong());
    }

    /** Standard normal noise of the given shape, created in {@code manager} (and on its device). */
    public NDArray normal(NDManager manager, Shape shape, DataType dataType) {
        Objects.requireNonNull(shape, "shape");
        long n = shape.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape: at most " + Integer.MAX_VALUE + " elements, got " + shape);
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) gaussian.sample();
        }
        NDArray out = NativeArrays.copyOf(manager, values, shape);
        return dataType == DataType.FLOAT32 ? out : out.toType(dataType, false);
    }

    /** Standard normal noise of {@code like}'s shape, dtype and device. */
    public NDArray normalLike(NDArray like) {
        return normal(like.getManager(), like.getShape(), like.getDataType());
    }

    /** One standard normal draw. */
    public double nextGaussian() {
        return gaussian.sample();
    }

    /** Uniform double in [0, 1). */
    public double nextDouble() {
        return rng.nextDouble();
    }

    /** Uniform int in [0, bound). */
    public int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    public long nextLong() {
        return rng.nextLong();
    }

    /** {@code count} uniform timesteps in [0, numTimesteps). */
    public long[] uniformTimesteps(int count, int numTimesteps) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = rng.nextInt(numTimesteps);
        }
        return t;
    }
}
