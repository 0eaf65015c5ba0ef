package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small residual MLP denoiser for low-dimensional data (2-D toy distributions, tabular vectors), usable as a
 * {@link org.diffusion4j.core.model.Denoiser} through {@link org.diffusion4j.core.model.BlockDenoiser}.
 *
 * <p>Inputs {@code NDList(x, t[, label])}: x float [B, D], t int64 [B] (the diffusion timestep), and, when the block
 * is class-conditional, label int64 [B] in [0, numClasses] where the value numClasses is the "no class" token used
 * for classifier-free guidance. Output: [B, D] (ε̂, x̂₀ or v̂, per the process' prediction).
 *
 * <p>Layout: h = SiLU(W_in·[x, emb(t), onehot(label)]) where emb is the sinusoidal embedding of
 * {@link TimestepEmbedding}; then depth − 1 residual layers h ← h + SiLU(W_k·h); then W_out·h. SiLU is
 * {@link Activations#silu} (x·σ(x), Elfwing et al. 2018). The child order (in, hidden…, out) is the
 * parameter order of DJL's positional {@code .params}; {@link #VERSION} changes if it ever changes.
 */
public final class MlpDenoiserBlock extends AbstractBlock {

    /** Layout version written in DJL's parameter files. */
    public static final byte VERSION = 1;

    private final int dataDim;
    private final int width;
    private final int depth;
    private final int timeEmbeddingDim;
    private final int numClasses;
    private final Linear input;
    private final List<Linear> hidden;
    private final Linear output;

    private MlpDenoiserBlock(Builder b) {
        super(VERSION);
        this.dataDim = b.dataDim;
        this.width = b.width;
        this.depth = b.depth;
        this.timeEmbeddingDim = b.timeEmbeddingDim;
        this.numClasses = b.numClasses;
        input = addChildBlock("in", Linear.builder().setUnits(width).build());
        List<Linear> layers = new ArrayList<>();
        for (int i = 1; i < depth; i++) {
            layers.add(addChildBlock("hidden" + i, Linear.builder().setUnits(width).build()));
        }
        hidden = Collections.unmodifiableList(layers);
        output = addChildBlock("out", Linear.builder().setUnits(dataDim).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int dataDim() {
        return dataDim;
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    public int timeEmbeddingDim() {
        return timeEmbeddingDim;
    }

    /** Number of real classes; 0 for an unconditional block. The label numClasses means "no class". */
    public int numClasses() {
        return numClasses;
    }

    private int inputFeatures() {
        return dataDim + timeEmbeddingDim + (numClasses > 0 ? numClasses + 1 : 0);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        int expectedInputs = numClasses > 0 ? 3 : 2;
        if (inputs.size() != expectedInputs) {
            throw new IllegalArgumentException("inputs: expected " + expectedInputs + " arrays (x, t"
                    + (numClasses > 0 ? ", label" : "") + "), got " + inputs.size());
        }
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        Shape xs = x.getShape();
        if (xs.dimension() != 2 || xs.get(1) != dataDim) {
            throw new IllegalArgumentException("x: expected shape [B, " + dataDim + "], got " + xs);
        }
        long batch = xs.get(0);
        if (!t.getShape().equals(new Shape(batch))) {
            throw new IllegalArgumentException("t: expected shape [" + batch + "], got " + t.getShape());
        }
        NDList features = new NDList(x, TimestepEmbedding.sinusoidal(t, timeEmbeddingDim).toType(x.getDataType(), false));
        if (numClasses > 0) {
            NDArray label = inputs.get(2);
            if (!label.getShape().equals(new Shape(batch))) {
                throw new IllegalArgumentException("label: expected shape [" + batch + "], got " + label.getShape());
            }
            features.add(label.toType(DataType.INT64, false).oneHot(numClasses + 1, x.getDataType()));
        }
        NDArray h = features.size() == 1 ? features.head() : NDArrays.concat(features, 1);
        h = Activations.silu(input.forward(parameterStore, new NDList(h), training, params).head());
        for (Linear layer : hidden) {
            h = h.add(Activations.silu(layer.forward(parameterStore, new NDList(h), training, params).head()));
        }
        return new NDList(output.forward(parameterStore, new NDList(h), training, params).head());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        input.initialize(manager, dataType, new Shape(batch, inputFeatures()));
        for (Linear layer : hidden) {
            layer.initialize(manager, dataType, new Shape(batch, width));
        }
        output.initialize(manager, dataType, new Shape(batch, width));
    }

    @Override
    public String toString() {
        return "MlpDenoiserBlock[D=" + dataDim + ", width=" + width + ", depth=" + depth + ", tEmb="
                + timeEmbeddingDim + ", classes=" + numClasses + "]";
    }

    /** Builder; defaults: D = 2, width 128, depth 3, 32-dim time embedding, unconditional. */
    public static final class Builder {
        private int dataDim = 2;
        private int width = 128;
        private int depth = 3;
        private int timeEmbeddingDim = 32;
        private int numClasses;

        private Builder() {
        }

        public Builder dataDim(int dataDim) {
            this.dataDim = dataDim;
            return this;
        }

        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** Number of hidden layers (≥ 1): the input layer plus depth − 1 residual layers. */
        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        public Builder timeEmbeddingDim(int timeEmbeddingDim) {
            this.timeEmbeddingDim = timeEmbeddingDim;
            return this;
        }

        /** Class-conditional with labels 0..numClasses−1 (plus the null label numClasses); 0 = unconditional. */
        public Builder numClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public MlpDenoiserBlock build() {
            requireAtLeast("dataDim", dataDim, 1);
            requireAtLeast("width", width, 1);
            requireAtLeast("depth", depth, 1);
            requireAtLeast("timeEmbeddingDim", timeEmbeddingDim, 2);
            requireAtLeast("numClasses", numClasses, 0);
            return new MlpDenoiserBlock(this);
        }

        private static void requireAtLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + ": expected at least " + min + ", got " + value);
            }
        }
    }
}
