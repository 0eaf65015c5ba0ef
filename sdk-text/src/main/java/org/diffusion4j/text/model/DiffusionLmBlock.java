package org.diffusion4j.text.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.nn.TimestepEmbedding;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.nn.Activations;

/**
 * The Diffusion-LM network (Li et al. 2022; layout of the release's {@code TransformerNetModel2}):
 * the learned word embedding E (V × d), the x0-predicting transformer denoiser, and the rounding head
 * logits = x0·Eᵀ + b whose weights are tied to E.
 *
 * <pre>
 *   temb = Linear(4te→h)(SiLU(Linear(te→4te)(sinusoid(t·timeScale/T, te))))
 *   h    = Linear(h→h)(Tanh(Linear(d→h)(x_t)))                       (input up-projection)
 *   h    = Dropout(LayerNorm(h + P[0..L) + temb))                     (learned positions P)
 *   h    = encoder layers (BERT, post-LN)
 *   x̂0  = Linear(h→d)(Tanh(Linear(h→h)(h)))                          (output down-projection)
 * </pre>
 *
 * <p>Forward: {@code NDList(x_t [B, L, d] float32, t [B] int64)} → {@code NDList(x̂0 [B, L, d])}, so it
 * plugs into sdk-core's {@code BlockDenoiser}. t holds steps of the T-step training schedule; the network
 * sees t·timeScale/T (the continuous 0..1000 scale the paper's code feeds it).
 *
 * <p>Parameter order (positional .params, version 1): direct parameters {@code wordEmbedding},
 * {@code lmBias}, {@code positions}; then children timeIn, timeOut, upIn, upOut, inputNorm, dropout,
 * layer0..layerN−1, downIn, downOut.
 */
public final class DiffusionLmBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DiffusionLmConfig config;
    private final Parameter wordEmbedding;
    private final Parameter lmBias;
    private final Parameter positions;
    private final Linear timeIn;
    private final Linear timeOut;
    private final Linear upIn;
    private final Linear upOut;
    private final LayerNorm inputNorm;
    private final Dropout dropout;
    private final List<TransformerEncoderLayer> layers = new ArrayList<>();
    private final Linear downIn;
    private final Linear downOut;

    private DiffusionLmBlock(DiffusionLmConfig config) {
        super(VERSION);
        this.config = config;
        int h = config.hiddenSize();
        int te = config.timeEmbeddingDim();
        // Type OTHER, not WEIGHT: a trainer that re-initialises every WEIGHT (sdk-core's Glorot initialiser) must
        // leave E at Diffusion-LM's N(0, 1) init, whose scale the σ0 = 0.12 embedding noise is relative to.
        this.wordEmbedding = addParameter(Parameter.builder().setName("wordEmbedding").setType(Parameter.Type.OTHER)
                .optShape(new Shape(config.vocabSize(), config.embeddingDim())).build());
        this.lmBias = addParameter(Parameter.builder().setName("lmBias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(config.vocabSize())).build());
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.maxPositions(), h)).build());
        this.timeIn = addChildBlock("timeIn", Linear.builder().setUnits(4L * te).build());
        this.timeOut = addChildBlock("timeOut", Linear.builder().setUnits(h).build());
        this.upIn = addChildBlock("upIn", Linear.builder().setUnits(h).build());
        this.upOut = addChildBlock("upOut", Linear.builder().setUnits(h).build());
        this.inputNorm = addChildBlock("inputNorm", LayerNorm.builder().axis(2).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i,
                    new TransformerEncoderLayer(h, config.heads(), config.ffnSize(), config.dropout())));
        }
        this.downIn = addChildBlock("downIn", Linear.builder().setUnits(h).build());
        this.downOut = addChildBlock("downOut", Linear.builder().setUnits(config.embeddingDim()).build());
    }

    /**
     * A block whose initial weights depend only on {@code seed}: E ~ N(0, 1) (Diffusion-LM's random
     * embedding init), other weight matrices and the position table ~ N(0, 0.02²) (BERT's init), biases
     * zero, LayerNorm γ = 1, β = 0. Call {@code initialize(manager, FLOAT32, inputShapes(1))} before use.
     */
    public static DiffusionLmBlock create(DiffusionLmConfig config, long seed) {
        Objects.requireNonNull(config, "config");
        DiffusionLmBlock block = new DiffusionLmBlock(config);
        NoiseSource root = NoiseSource.seeded(seed);
        block.setInitializer(new SeededNormalInitializer(root.split(), 0.02f), Parameter.Type.WEIGHT);
        block.setInitializer(new SeededNormalInitializer(root.split(), 1f), "wordEmbedding");
        block.setInitializer(Initializer.ZEROS, "lmBias");
        return block;
    }

    public DiffusionLmConfig config() {
        return config;
    }

    /** The input shapes for {@code initialize}: x_t [B, L, d] and t [B]. */
    public Shape[] inputShapes(long batch) {
        return new Shape[] {new Shape(batch, config.sequenceLength(), config.embeddingDim()), new Shape(batch)};
    }

    /** Parameters actually held (after initialisation), the embedding and rounding bias included. */
    public long parameterCount() {
        return getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("inputs: expected NDList(x_t, t), got " + inputs.size() + " arrays");
        }
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(2) != config.embeddingDim() || xs.get(1) > config.maxPositions()) {
            throw new IllegalArgumentException("x_t: expected [B, L <= " + config.maxPositions() + ", "
                    + config.embeddingDim() + "], got " + xs);
        }
        if (t.getShape().dimension() != 1 || t.getShape().get(0) != xs.get(0)) {
            throw new IllegalArgumentException("t: expected shape [" + xs.get(0) + "], got " + t.getShape());
        }
        Device device = x.getDevice();
        long l = xs.get(1);
        NDArray tScaled = t.toType(DataType.FLOAT32, false).mul(config.timeScale() / config.numTimesteps());
        NDArray temb = TimestepEmbedding.sinusoidal(tScaled, config.timeEmbeddingDim());
        temb = timeIn.forward(ps, new NDList(temb), training).head();
        temb = timeOut.forward(ps, new NDList(Activations.silu(temb)), training).head();
        NDArray h = upIn.forward(ps, new NDList(x), training).head();
        h = upOut.forward(ps, new NDList(h.tanh()), training).head();
        // a view in the activations' manager: ops on the parameter itself would leave their results in the model's
        NDArray pos = NativeArrays.viewIn(ps.getValue(positions, device, training), h.getManager())
                .get("0:" + l).expandDims(0);
        h = h.add(pos).add(temb.expandDims(1));
        h = inputNorm.forward(ps, new NDList(h), training).head();
        h = dropout.forward(ps, new NDList(h), training).head();
        for (TransformerEncoderLayer layer : layers) {
            h = layer.forward(ps, new NDList(h), training).head();
        }
        h = downIn.forward(ps, new NDList(h), training).head();
        return downOut.forward(ps, new NDList(h.tanh()), training);
    }

    /** The embedding matrix E [V, d] as the store holds it (gradients flow when training). */
    public NDArray embeddings(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(wordEmbedding, device, training);
    }

    /** EMB(w): ids int64 [...] → [..., d]. */
    public NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
        return RoundingOps.embed(embeddings(ps, ids.getDevice(), training), ids);
    }

    /** Rounding logits x0·Eᵀ + b: [B, L, d] → [B, L, V] (weights tied to E, own bias). */
    public NDArray logits(ParameterStore ps, NDArray x0, boolean training) {
        Device device = x0.getDevice();
        return RoundingOps.logits(x0, embeddings(ps, device, training), ps.getValue(lmBias, device, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape t = inputShapes[1];
        long b = x.get(0);
        long l = x.get(1);
        int h = config.hiddenSize();
        Shape hidden = new Shape(b, l, h);
        timeIn.initialize(manager, dataType, new Shape(t.get(0), config.timeEmbeddingDim()));
        timeOut.initialize(manager, dataType, new Shape(t.get(0), 4L * config.timeEmbeddingDim()));
        upIn.initialize(manager, dataType, x);
        upOut.initialize(manager, dataType, hidden);
        inputNorm.initialize(manager, dataType, hidden);
        dropout.initialize(manager, dataType, hidden);
        for (TransformerEncoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        downIn.initialize(manager, dataType, hidden);
        downOut.initialize(manager, dataType, hidden);
    }
}
