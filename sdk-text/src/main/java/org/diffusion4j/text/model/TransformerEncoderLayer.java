package org.diffusion4j.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.diffusion4j.core.memory.Scalars;

/**
 * A BERT encoder layer (post-LayerNorm, GELU feed-forward, no attention mask): x ← LN(x + Drop(MHA(x))),
 * x ← LN(x + Drop(W2·GELU(W1·x))). Written here because DJL's {@code TransformerEncoderBlock} normalises
 * with BatchNorm and adds the layer <em>input</em> (not the attention output) as the second residual,
 * which is not the BERT layer Diffusion-LM uses. Input and output [B, L, h].
 *
 * <p>Child order (fixed, .params are positional): query/key/value projection (one h → 3h Linear), attention
 * output, attention LayerNorm, FFN in, FFN out, output LayerNorm.
 */
public final class TransformerEncoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final int heads;
    private final Linear qkv;
    private final Linear attentionOut;
    private final LayerNorm attentionNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;
    private final LayerNorm outputNorm;
    private final Dropout dropout;

    public TransformerEncoderLayer(int hidden, int heads, int ffnSize, float dropoutRate) {
        super(VERSION);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("heads: must divide hidden " + hidden + ", got " + heads);
        }
        this.hidden = hidden;
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * hidden).build());
        this.attentionOut = addChildBlock("attentionOut", Linear.builder().setUnits(hidden).build());
        this.attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        this.ffnIn = addChildBlock("ffnIn", Linear.builder().setUnits(ffnSize).build());
        this.ffnOut = addChildBlock("ffnOut", Linear.builder().setUnits(hidden).build());
        this.outputNorm = addChildBlock("outputNorm", LayerNorm.builder().axis(2).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        long b = s.get(0);
        long l = s.get(1);
        long dh = hidden / heads;
        // [B, L, 3h] → three [B, H, L, dh]
        NDArray projected = qkv.forward(ps, new NDList(x), training).head();
        NDArray q = projected.get(":, :, 0:" + hidden).reshape(b, l, heads, dh).transpose(0, 2, 1, 3);
        NDArray k = projected.get(":, :, " + hidden + ":" + 2 * hidden).reshape(b, l, heads, dh).transpose(0, 2, 1, 3);
        NDArray v = projected.get(":, :, " + 2 * hidden + ":").reshape(b, l, heads, dh).transpose(0, 2, 1, 3);
        NDArray scores = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dh)); // Vaswani et al. eq. 1
        NDArray probs = dropout.forward(ps, new NDList(scores.softmax(3)), training).head();
        NDArray attended = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, l, hidden);
        NDArray a = attentionOut.forward(ps, new NDList(attended), training).head();
        a = dropout.forward(ps, new NDList(a), training).head();
        NDArray h = attentionNorm.forward(ps, new NDList(x.add(a)), training).head();
        NDArray f = ffnIn.forward(ps, new NDList(h), training).head();
        f = ffnOut.forward(ps, new NDList(Activation.gelu(f)), training).head();
        f = dropout.forward(ps, new NDList(f), training).head();
        return outputNorm.forward(ps, new NDList(h.add(f)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        qkv.initialize(manager, dataType, in);
        attentionOut.initialize(manager, dataType, in);
        attentionNorm.initialize(manager, dataType, in);
        ffnIn.initialize(manager, dataType, in);
        ffnOut.initialize(manager, dataType, new Shape(in.get(0), in.get(1), ffnIn.getOutputShapes(new Shape[] {in})[0].get(2)));
        outputNorm.initialize(manager, dataType, in);
        dropout.initialize(manager, dataType, in);
    }
}
