package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.diffusion4j.core.memory.NativeArrays;
import org.diffusion4j.core.nn.ConvolutionLayer;

/**
 * The WaveGrad network (Chen et al. 2021) in lmnt-com/wavegrad's layout, as a DJL block.
 *
 * <p>Forward: {@code NDList(audio [N, T] or [N, 1, T], noise level [N], mel [N, nMels, F])} → ε̂
 * {@code [N, 1, T]} with T = hop·F. The noise level is the continuous √ᾱ of the noisy input
 * y = √ᾱ·y₀ + √(1−ᾱ)·ε (paper eq. 4, lmnt learner.py).
 *
 * <p>Child blocks are registered in a fixed order (downsample, film, upsample, first_conv, last_conv), so
 * DJL's positional .params files stay stable; {@link #parameters()} gives the same tensors under lmnt's
 * 108 state-dict names, which is what {@code WaveGradWeights} reads and writes.
 */
public final class WaveGrad extends AbstractBlock {

    private static final byte VERSION = 1;

    private final WaveGradConfig config;
    private final ConvolutionLayer inputConv;
    private final List<DBlock> down = new ArrayList<>();
    private final List<FiLM> films = new ArrayList<>();
    private final List<UBlock> up = new ArrayList<>();
    private final ConvolutionLayer firstConv;
    private final ConvolutionLayer lastConv;
    private final Map<String, Parameter> named;

    public WaveGrad(WaveGradConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        int n = config.blocks();
        float slope = config.leakySlope();
        inputConv = addChildBlock("downsample_0", Ops.conv(config.firstDownChannels(), 5, 1));
        for (int i = 1; i < n; i++) {
            down.add(addChildBlock("downsample_" + i,
                    new DBlock(config.downOutChannels(i - 1), config.downOutChannels(i), config.downFactor(i), slope)));
        }
        int[] upChannels = config.upChannels();
        for (int i = 0; i < n; i++) {
            // FiLM i modulates the UBlock that produces the resolution of downsampling output i
            films.add(addChildBlock("film_" + i,
                    new FiLM(config.downOutChannels(i), upChannels[n - 1 - i], slope, config.noiseLevelScale())));
        }
        int[] factors = config.upFactors();
        int[][] dilations = config.upDilations();
        for (int i = 0; i < n; i++) {
            int in = i == 0 ? config.melEmbedChannels() : upChannels[i - 1];
            up.add(addChildBlock("upsample_" + i, new UBlock(in, upChannels[i], factors[i], dilations[i], slope)));
        }
        firstConv = addChildBlock("first_conv", Ops.conv(config.melEmbedChannels(), 3, 1));
        lastConv = addChildBlock("last_conv", Ops.conv(1, 3, 1));

        Map<String, Parameter> map = new LinkedHashMap<>();
        map.put("downsample.0.weight", inputConv.getParameters().get("weight"));
        map.put("downsample.0.bias", inputConv.getParameters().get("bias"));
        for (int i = 1; i < n; i++) {
            down.get(i - 1).collectParameters("downsample." + i + ".", map);
        }
        for (int i = 0; i < n; i++) {
            films.get(i).collectParameters("film." + i + ".", map);
        }
        for (int i = 0; i < n; i++) {
            up.get(i).collectParameters("upsample." + i + ".", map);
        }
        map.put("first_conv.weight", firstConv.getParameters().get("weight"));
        map.put("first_conv.bias", firstConv.getParameters().get("bias"));
        map.put("last_conv.weight", lastConv.getParameters().get("weight"));
        map.put("last_conv.bias", lastConv.getParameters().get("bias"));
        named = Collections.unmodifiableMap(map);
    }

    public WaveGradConfig config() {
        return config;
    }

    /** Every parameter under its lmnt-com/wavegrad state-dict name, in state-dict order. */
    public Map<String, Parameter> parameters() {
        return named;
    }

    /** Total number of scalars in all parameters (requires an initialised block). */
    public long parameterCount() {
        long total = 0;
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (!e.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + e.getKey() + " is not initialised: call initialize first");
            }
            total += e.getValue().getArray().size();
        }
        return total;
    }

    /** Initialises every parameter (the input shapes are implied by the config). */
    public void initialize(NDManager manager, DataType dataType) {
        initialize(manager, dataType, new Shape(1, config.hop()), new Shape(1), new Shape(1, config.nMels(), 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inputConv.initialize(manager, dataType, new Shape(1, 1, 8));
        for (DBlock b : down) {
            b.initialize(manager, dataType, new Shape(1, 1, 8));
        }
        for (FiLM f : films) {
            f.initialize(manager, dataType, new Shape(1, 1, 8), new Shape(1));
        }
        for (UBlock u : up) {
            u.initialize(manager, dataType, new Shape(1, 1, 8), new Shape(1, 1, 8), new Shape(1, 1, 8));
        }
        firstConv.initialize(manager, dataType, new Shape(1, config.nMels(), 8));
        lastConv.initialize(manager, dataType, new Shape(1, config.upChannels()[config.blocks() - 1], 8));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("inputs: expected NDList(audio, noiseLevel, mel), got " + inputs.size() + " arrays");
        }
        NDArray audio = inputs.get(0);
        NDArray level = inputs.get(1);
        NDArray mel = inputs.get(2);
        Shape[] out = getOutputShapes(new Shape[] {audio.getShape(), level.getShape(), mel.getShape()});
        long batch = out[0].get(0);
        long samples = out[0].get(2);
        NDArray x = audio.reshape(batch, 1, samples);

        // Each block runs in its own scope and each activation is closed once nothing reads it
        // (NativeArrays.freeingIntermediates): DJL would otherwise keep every activation of the forward alive
        // until the caller's scope closes (about 300 arrays of up to channels × samples floats for the base model).
        List<NDList> modulation = new ArrayList<>();
        x = NativeArrays.freeingIntermediates(x, false, in -> inputConv.forward(ps, new NDList(in), training).head());
        for (int i = 0; i <= down.size(); i++) {
            FiLM film = films.get(i);
            modulation.add(NativeArrays.freeingIntermediatesList(x, false,
                    in -> film.forward(ps, new NDList(in, level), training), level));
            if (i < down.size()) {
                DBlock block = down.get(i);
                x = NativeArrays.freeingIntermediates(x, true, in -> block.forward(ps, new NDList(in), training).head());
            }
        }
        x.close();
        NDArray y = NativeArrays.freeingIntermediates(mel, false, in -> firstConv.forward(ps, new NDList(in), training).head());
        int n = up.size();
        for (int i = 0; i < n; i++) {
            NDList shiftScale = modulation.get(n - 1 - i);
            UBlock block = up.get(i);
            y = NativeArrays.freeingIntermediates(y, true,
                    in -> block.forward(ps, new NDList(in, shiftScale.get(0), shiftScale.get(1)), training).head(),
                    shiftScale.get(0), shiftScale.get(1));
            shiftScale.close();
        }
        return new NDList(NativeArrays.freeingIntermediates(y, true, in -> lastConv.forward(ps, new NDList(in), training).head()));
    }

    /** Validates the three input shapes and returns {@code [N, 1, T]}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        if (inputs.length != 3) {
            throw new IllegalArgumentException("inputs: expected 3 shapes (audio, noiseLevel, mel), got " + inputs.length);
        }
        Shape audio = inputs[0];
        Shape level = inputs[1];
        Shape mel = inputs[2];
        if (mel.dimension() != 3) {
            throw new IllegalArgumentException("mel: expected [N, " + config.nMels() + ", F], got " + mel);
        }
        long batch = mel.get(0);
        if (mel.get(1) != config.nMels()) {
            throw new IllegalArgumentException("mel: expected " + config.nMels() + " bands on axis 1, got " + mel.get(1)
                    + " (shape " + mel + ")");
        }
        long samples = mel.get(2) * config.hop();
        boolean audioOk = audio.dimension() == 2 && audio.get(0) == batch && audio.get(1) == samples
                || audio.dimension() == 3 && audio.get(0) == batch && audio.get(1) == 1 && audio.get(2) == samples;
        if (!audioOk) {
            throw new IllegalArgumentException("audio: expected [" + batch + ", " + samples + "] or [" + batch + ", 1, "
                    + samples + "] (hop " + config.hop() + " × " + mel.get(2) + " mel frames), got " + audio);
        }
        if (level.dimension() != 1 || level.get(0) != batch) {
            throw new IllegalArgumentException("noiseLevel: expected [" + batch + "], got " + level);
        }
        return new Shape[] {new Shape(batch, 1, samples)};
    }
}
