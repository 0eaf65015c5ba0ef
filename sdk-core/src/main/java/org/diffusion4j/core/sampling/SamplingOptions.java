package org.diffusion4j.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;

/**
 * Immutable settings of one sampling run. The manager decides the device: every tensor of the run is created
 * on it and the result is attached to it. Arrays given here (conditioning, mask data, initial sample) stay
 * owned by the caller and are never closed by the run.
 *
 * <p>Classifier-free guidance is not an option here but a {@link org.diffusion4j.core.model.Denoiser} decorator,
 * {@link ClassifierFreeGuidance}; classifier guidance needs the schedule and is applied by the loop.
 */
public final class SamplingOptions {

    private final NDManager manager;
    private final long seed;
    private final DataType dataType;
    private final NDList conditioning;
    private final SamplingListener listener;
    private final MaskedGeneration mask;
    private final ClassifierGuidance classifierGuidance;
    private final NDArray initialSample;
    private final int startTimestep;

    private SamplingOptions(Builder b) {
        this.manager = b.manager;
        this.seed = b.seed;
        this.dataType = b.dataType;
        this.conditioning = b.conditioning;
        this.listener = b.listener;
        this.mask = b.mask;
        this.classifierGuidance = b.classifierGuidance;
        this.initialSample = b.initialSample;
        this.startTimestep = b.startTimestep;
    }

    /** A builder; {@code manager} (and with it the device) is required. */
    public static Builder builder(NDManager manager) {
        return new Builder(manager);
    }

    public NDManager manager() {
        return manager;
    }

    /** Seed of the run's {@link org.diffusion4j.core.random.NoiseSource}: x_T and every step's noise. */
    public long seed() {
        return seed;
    }

    /** dtype of x; default float32. */
    public DataType dataType() {
        return dataType;
    }

    /** Conditioning passed to the denoiser at every step; empty by default. */
    public NDList conditioning() {
        return conditioning;
    }

    public SamplingListener listener() {
        return listener;
    }

    public Optional<MaskedGeneration> mask() {
        return Optional.ofNullable(mask);
    }

    public Optional<ClassifierGuidance> classifierGuidance() {
        return Optional.ofNullable(classifierGuidance);
    }

    /** The sample to start from (img2img / SDEdit), already at the noise level of {@link #startTimestep()}. */
    public Optional<NDArray> initialSample() {
        return Optional.ofNullable(initialSample);
    }

    /** The timestep the run starts at when an initial sample is given; −1 otherwise. */
    public int startTimestep() {
        return startTimestep;
    }

    /** A builder pre-filled with these options. */
    public Builder toBuilder() {
        Builder b = new Builder(manager);
        b.seed = seed;
        b.dataType = dataType;
        b.conditioning = conditioning;
        b.listener = listener;
        b.mask = mask;
        b.classifierGuidance = classifierGuidance;
        b.initialSample = initialSample;
        b.startTimestep = startTimestep;
        return b;
    }

    /** Builder of {@link SamplingOptions}. */
    public static final class Builder {
        private final NDManager manager;
        private long seed;
        private DataType dataType = DataType.FLOAT32;
        private NDList conditioning = new NDList();
        private SamplingListener listener = SamplingListener.NONE;
        private MaskedGeneration mask;
        private ClassifierGuidance classifierGuidance;
        private NDArray initialSample;
        private int startTimestep = -1;

        private Builder(NDManager manager) {
            if (manager == null) {
                throw new IllegalArgumentException("manager: expected an NDManager, got null");
            }
            this.manager = manager;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder dataType(DataType dataType) {
            if (dataType == null || !dataType.isFloating()) {
                throw new IllegalArgumentException("dataType: expected a floating type, got " + dataType);
            }
            this.dataType = dataType;
            return this;
        }

        public Builder conditioning(NDList conditioning) {
            if (conditioning == null) {
                throw new IllegalArgumentException("conditioning: expected an NDList (possibly empty), got null");
            }
            this.conditioning = conditioning;
            return this;
        }

        public Builder listener(SamplingListener listener) {
            this.listener = listener == null ? SamplingListener.NONE : listener;
            return this;
        }

        public Builder mask(MaskedGeneration mask) {
            this.mask = mask;
            return this;
        }

        public Builder classifierGuidance(ClassifierGuidance guidance) {
            this.classifierGuidance = guidance;
            return this;
        }

        /**
         * Starts at timestep {@code t} (one of the sampler's timesteps) from {@code xt}, a sample already at that
         * noise level, e.g. {@code diffusion.qSample(image, t, noise)} for SDEdit / img2img.
         */
        public Builder initial(int t, NDArray xt) {
            if (xt == null) {
                throw new IllegalArgumentException("xt: expected an array, got null");
            }
            if (t < 0) {
                throw new IllegalArgumentException("t: expected a timestep >= 0, got " + t);
            }
            this.initialSample = xt;
            this.startTimestep = t;
            return this;
        }

        public SamplingOptions build() {
            return new SamplingOptions(this);
        }
    }
}
