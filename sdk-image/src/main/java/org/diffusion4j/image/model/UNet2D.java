package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.nn.ClassEmbedding;
import org.diffusion4j.image.nn.Conv;
import org.diffusion4j.image.nn.Dense;
import org.diffusion4j.image.nn.GroupNorm;
import org.diffusion4j.core.nn.TimestepEmbedding;

/**
 * improved-diffusion's {@code UNetModel} (unet.py) as a DJL block.
 *
 * <p>Forward: {@code NDList(x [B, C, H, W] float32, t int64 [B][, y int64 [B]])} →
 * {@code NDList([B, C or 2C, H, W])}; {@code y} is required exactly when the model is class-conditional
 * and may hold the null class {@code numClasses} when {@link UNet2DConfig#nullClass()}. H and W must be
 * divisible by {@link UNet2DConfig#sizeMultiple()}. Usable as a {@code Denoiser} through sdk-core's
 * {@code BlockDenoiser}.
 *
 * <p>Parameters carry improved-diffusion's {@code state_dict} names ({@link #namedParameters()}). DJL's
 * {@link #initialize} allocates them and then fills them with PyTorch's default initialisation drawn
 * from {@code NoiseSource.seeded(initSeed)}, so the same seed gives the same model everywhere.
 *
 * <p>Memory: a forward runs in a sub-manager closed at its end; only the output is attached to the manager of
 * {@code x}. Inside it each layer runs in its own scope and every activation is closed once nothing reads it, so
 * the peak is the skip connections plus one layer's intermediates, not every activation of the forward.
 */
public final class UNet2D extends Composite {

    private final UNet2DConfig config;
    private final long initSeed;
    private final Dense timeEmbed0;
    private final Dense timeEmbed2;
    private final ClassEmbedding labelEmb;
    private final List<LayerSequence> inputBlocks = new ArrayList<>();
    private final LayerSequence middleBlock;
    private final List<LayerSequence> outputBlocks = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv outConv;

    public UNet2D(UNet2DConfig config, long initSeed) {
        this.config = Objects.requireNonNull(config, "config");
        this.initSeed = initSeed;
        int mc = config.modelChannels();
        int ted = config.timeEmbedDim();
        int g = config.normGroups();
        float dropout = config.dropout();
        boolean ss = config.useScaleShiftNorm();
        List<Integer> mult = config.channelMult();

        timeEmbed0 = child("time_embed.0", new Dense(mc, ted));
        timeEmbed2 = child("time_embed.2", new Dense(ted, ted));
        labelEmb = config.classConditional() ? child("label_emb", new ClassEmbedding(config.labelRows(), ted)) : null;

        // input side: record the channels of every skip connection (input_block_chans in unet.py)
        Deque<Integer> skipChannels = new ArrayDeque<>();
        inputBlocks.add(child("input_blocks.0", new LayerSequence(List.of(new ConvLayer(config.inChannels(), mc)))));
        skipChannels.push(mc);
        int ch = mc;
        int ds = 1;
        for (int level = 0; level < mult.size(); level++) {
            for (int r = 0; r < config.numResBlocks(); r++) {
                List<EmbeddedLayer> layers = new ArrayList<>();
                layers.add(new ResBlock(ch, ted, mult.get(level) * mc, dropout, ss, g));
                ch = mult.get(level) * mc;
                if (config.attentionResolutions().contains(ds)) {
                    layers.add(new AttentionBlock(ch, config.numHeads(), g));
                }
                inputBlocks.add(child("input_blocks." + inputBlocks.size(), new LayerSequence(layers)));
                skipChannels.push(ch);
            }
            if (level != mult.size() - 1) {
                inputBlocks.add(child("input_blocks." + inputBlocks.size(), new LayerSequence(List.of(new Downsample(ch)))));
                skipChannels.push(ch);
                ds *= 2;
            }
        }
        middleBlock = child("middle_block", new LayerSequence(List.of(
                new ResBlock(ch, ted, ch, dropout, ss, g),
                new AttentionBlock(ch, config.numHeads(), g),
                new ResBlock(ch, ted, ch, dropout, ss, g))));
        for (int level = mult.size() - 1; level >= 0; level--) {
            for (int i = 0; i <= config.numResBlocks(); i++) {
                List<EmbeddedLayer> layers = new ArrayList<>();
                int skip = skipChannels.pop();
                layers.add(new ResBlock(ch + skip, ted, mc * mult.get(level), dropout, ss, g));
                ch = mc * mult.get(level);
                if (config.attentionResolutions().contains(ds)) {
                    layers.add(new AttentionBlock(ch, config.numHeadsUpsample(), g));
                }
                if (level > 0 && i == config.numResBlocks()) {
                    layers.add(new Upsample(ch));
                    ds /= 2;
                }
                outputBlocks.add(child("output_blocks." + outputBlocks.size(), new LayerSequence(layers)));
            }
        }
        outNorm = child("out.0", new GroupNorm(g, ch, GroupNorm.DEFAULT_EPS));
        // unet.py declares this conv with model_channels inputs, which equals ch when channelMult[0] = 1
        outConv = child("out.2", new Conv(2, ch, config.networkOutChannels(), 3, 1, 1, true));
    }

    public UNet2D(UNet2DConfig config) {
        this(config, 0L);
    }

    public UNet2DConfig config() {
        return config;
    }

    /** Parameters by improved-diffusion {@code state_dict} name, in PyTorch registration order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return Collections.unmodifiableMap(out);
    }

    /** Number of scalar parameters (known before initialisation). */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /**
     * Allocates the parameters and fills them with the seeded PyTorch-default initialisation. The input
     * shapes are not needed to size anything (all shapes follow from the config) but are kept for DJL.
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (fresh) {
            initializeWeights(NoiseSource.seeded(initSeed));
        }
    }

    /** Convenience: allocates and initialises the parameters in {@code manager} (float32). */
    public UNet2D initialize(NDManager manager) {
        Shape b = new Shape(1);
        Shape x = new Shape(1, config.inChannels(), config.sizeMultiple(), config.sizeMultiple());
        if (config.classConditional()) {
            initialize(manager, DataType.FLOAT32, x, b, b);
        } else {
            initialize(manager, DataType.FLOAT32, x, b);
        }
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int expected = config.classConditional() ? 3 : 2;
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("inputs: expected " + (expected == 3 ? "NDList(x, t, y)" : "NDList(x, t)")
                    + " for " + (expected == 3 ? "a class-conditional" : "an unconditional") + " model, got "
                    + inputs.size() + " arrays");
        }
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        NDArray y = expected == 3 ? inputs.get(2) : null;
        checkInputs(x, t, y);
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            // inputs return to their own managers when the scope closes; everything derived stays in it
            x.tempAttach(scope);
            t.tempAttach(scope);
            if (y != null) {
                y.tempAttach(scope);
            }
            NDArray out = body(ps, x, t, y, training);
            out.attach(caller);
            return new NDList(out);
        }
    }

    private NDArray body(ParameterStore ps, NDArray x, NDArray t, NDArray y, boolean training) {
        NDArray temb = TimestepEmbedding.sinusoidal(t, config.modelChannels());
        NDArray emb = timeEmbed2.forward(ps, new NDList(EmbeddedLayer.silu(
                timeEmbed0.forward(ps, new NDList(temb), training).head())), training).head();
        if (labelEmb != null) {
            emb = emb.add(labelEmb.forward(ps, new NDList(y), training).head());
        }
        // every ResBlock's emb_layers start with SiLU of the same embedding: computed once, not once per block
        emb = EmbeddedLayer.silu(emb);
        Deque<NDArray> hs = new ArrayDeque<>();
        NDArray h = x;
        for (LayerSequence block : inputBlocks) {
            h = block.apply(ps, h, emb, training);
            hs.push(h);
        }
        h = middleBlock.apply(ps, h, emb, training);
        for (LayerSequence block : outputBlocks) {
            NDArray skip = hs.pop();
            NDArray joined = NDArrays.concat(new NDList(h, skip), 1);
            // free each activation once nothing reads it (DJL would keep all to the end of the forward;
            // autograd holds its own references to what backward needs)
            h.close();
            skip.close();
            h = block.apply(ps, joined, emb, training);
            joined.close();
        }
        h = EmbeddedLayer.silu(outNorm.forward(ps, new NDList(h), training).head());
        return outConv.forward(ps, new NDList(h), training).head();
    }

    /** Writes this network's forward into {@code s} (see {@link UNet2DScript}); returns the output variable. */
    String script(UNet2DScript s) {
        String temb = s.timestepEmbedding("t", config.modelChannels());
        String emb = s.linear("time_embed.2.", s.let("torch.silu(" + s.linear("time_embed.0.", temb) + ")"));
        if (labelEmb != null) {
            emb = s.let("torch.add(" + emb + ", torch.embedding(" + s.tensor("label_emb.weight") + ", y))");
        }
        s.emb(s.let("torch.silu(" + emb + ")"));
        Deque<String> hs = new ArrayDeque<>();
        String h = "x";
        for (int i = 0; i < inputBlocks.size(); i++) {
            h = inputBlocks.get(i).script(s, "input_blocks." + i + ".", h);
            hs.push(h);
        }
        h = middleBlock.script(s, "middle_block.", h);
        for (int i = 0; i < outputBlocks.size(); i++) {
            String joined = s.let("torch.cat([" + h + ", " + hs.pop() + "], 1)");
            h = outputBlocks.get(i).script(s, "output_blocks." + i + ".", joined);
        }
        h = s.let("torch.silu(" + s.groupNorm(outNorm, "out.0.", h) + ")");
        return s.conv(outConv, "out.2.", h);
    }

    /** Checks the inputs of a forward; shared with {@link CompiledUNet}. */
    void checkInputs(NDArray x, NDArray t, NDArray y) {
        checkInputs(config, x, t, y);
    }

    static void checkInputs(UNet2DConfig config, NDArray x, NDArray t, NDArray y) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("x: expected [B, " + config.inChannels() + ", H, W], got " + s);
        }
        int m = config.sizeMultiple();
        if (s.get(2) % m != 0 || s.get(3) % m != 0 || s.get(2) == 0 || s.get(3) == 0) {
            throw new IllegalArgumentException("x: expected H and W positive multiples of " + m + " (one halving per level), got "
                    + s.get(2) + "×" + s.get(3));
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("x: expected float32, got " + x.getDataType());
        }
        long b = s.get(0);
        if (!t.getShape().equals(new Shape(b))) {
            throw new IllegalArgumentException("t: expected shape [" + b + "], got " + t.getShape());
        }
        if (y != null && !y.getShape().equals(new Shape(b))) {
            throw new IllegalArgumentException("y: expected shape [" + b + "], got " + y.getShape());
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), config.networkOutChannels(), s.get(2), s.get(3))};
    }
}
