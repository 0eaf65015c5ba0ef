package org.diffusion4j.text.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.nn.TimestepEmbedding;
import org.diffusion4j.text.model.TransformerEncoderLayer;
import org.diffusion4j.core.nn.Activations;

/**
 * A small time-aware classifier p_φ(c | x_t, t) on noisy latents, for plug-and-play semantic-content
 * control (Li et al. 2022 §5.1): it predicts the value of one MR field (e.g. {@code food}) from x_t so that
 * decoding can take signed-gradient steps on −log p_φ(c | x_{t−1}).
 *
 * <pre>
 *   h = Tanh(Linear(d→h)(x_t)) + P[0..L) + MLP(sinusoid(t·timeScale/T))    (as the paper's classifiers:
 *   h = encoder layers (post-LN)                                             up-projection, time-aware)
 *   logits = Linear(h→K)(mean over positions of h)
 * </pre>
 * Forward: {@code NDList(x_t [B, L, d], t int64 [B])} → {@code NDList(logits [B, K])}. Child order
 * (positional .params, version 1): positions, up, timeIn, timeOut, layer0.., head.
 */
public final class FieldClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int embeddingDim;
    private final int sequenceLength;
    private final int timeEmbeddingDim;
    private final float timeScaleOverSteps;
    private final Parameter positions;
    private final Linear up;
    private final Linear timeIn;
    private final Linear timeOut;
    private final List<TransformerEncoderLayer> layers = new ArrayList<>();
    private final Linear head;

    /**
     * @param numClasses   K, the field's known values ({@link ControlFields#values})
     * @param numTimesteps T of the diffusion schedule; the classifier sees t·timeScale/T as the denoiser does
     */
    public FieldClassifierBlock(int embeddingDim, int sequenceLength, int hidden, int heads, int layerCount, int numClasses,
            int numTimesteps, float timeScale) {
        super(VERSION);
        if (embeddingDim < 1 || sequenceLength < 1 || hidden < 1 || layerCount < 0 || numTimesteps < 1 || !(timeScale > 0)) {
            throw new IllegalArgumentException("FieldClassifierBlock: expected positive sizes, got d=" + embeddingDim + ", L="
                    + sequenceLength + ", hidden=" + hidden + ", layers=" + layerCount + ", T=" + numTimesteps + ", timeScale=" + timeScale);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses: expected >= 2, got " + numClasses);
        }
        this.embeddingDim = embeddingDim;
        this.sequenceLength = sequenceLength;
        this.timeEmbeddingDim = 2 * ((hidden + 1) / 2);
        this.timeScaleOverSteps = timeScale / numTimesteps;
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(sequenceLength, hidden)).build());
        this.up = addChildBlock("up", Linear.builder().setUnits(hidden).build());
        this.timeIn = addChildBlock("timeIn", Linear.builder().setUnits(hidden).build());
        this.timeOut = addChildBlock("timeOut", Linear.builder().setUnits(hidden).build());
        for (int i = 0; i < layerCount; i++) {
            layers.add(addChildBlock("layer" + i, new TransformerEncoderLayer(hidden, heads, 4 * hidden, 0f)));
        }
        this.head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(1) != sequenceLength || s.get(2) != embeddingDim) {
            throw new IllegalArgumentException("x_t: expected [B, " + sequenceLength + ", " + embeddingDim + "], got " + s);
        }
        if (t.getShape().dimension() != 1 || t.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException("t: expected shape [" + s.get(0) + "], got " + t.getShape());
        }
        NDArray temb = TimestepEmbedding.sinusoidal(t.toType(DataType.FLOAT32, false).mul(timeScaleOverSteps), timeEmbeddingDim);
        temb = timeIn.forward(ps, new NDList(temb), training).head();
        temb = timeOut.forward(ps, new NDList(Activations.silu(temb)), training).head();
        NDArray h = up.forward(ps, new NDList(x), training).head().tanh()
                .add(NativeArrays.viewIn(ps.getValue(positions, x.getDevice(), training), x.getManager()).expandDims(0))
                .add(temb.expandDims(1));
        for (TransformerEncoderLayer layer : layers) {
            h = layer.forward(ps, new NDList(h), training).head();
        }
        return head.forward(ps, new NDList(h.mean(new int[] {1})), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), head.getOutputShapes(new Shape[] {new Shape(1, 1)})[0].get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long b = x.get(0);
        long hidden = positions.getShape().get(1);
        Shape hShape = new Shape(b, sequenceLength, hidden);
        up.initialize(manager, dataType, x);
        timeIn.initialize(manager, dataType, new Shape(b, timeEmbeddingDim));
        timeOut.initialize(manager, dataType, new Shape(b, hidden));
        for (TransformerEncoderLayer layer : layers) {
            layer.initialize(manager, dataType, hShape);
        }
        head.initialize(manager, dataType, new Shape(b, hidden));
    }
}
