package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import org.diffusion4j.core.nn.ConvolutionLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A block built from ConvolutionLayer children whose input channel counts are fixed at construction, so it can
 * initialise them without shape inference, and that reports its parameters under PyTorch state-dict names
 * (lmnt-com/wavegrad's), which is what checkpoints are keyed by (DJL's own .params are positional).
 */
abstract class NamedBlock extends AbstractBlock {

    private final List<String> convNames = new ArrayList<>();
    private final List<ConvolutionLayer> convs = new ArrayList<>();
    private final List<Integer> convInputs = new ArrayList<>();

    /** Registers a conv under its state-dict name (relative to this block) with its input channels. */
    protected ConvolutionLayer addConv(String torchName, int inChannels, ConvolutionLayer conv) {
        addChildBlock(torchName.replace('.', '_'), conv);
        convNames.add(torchName);
        convs.add(conv);
        convInputs.add(inChannels);
        return conv;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, new Shape(1, convInputs.get(i), 8));
        }
    }

    /** Adds this block's parameters as {@code prefix + torchName + ".weight"/".bias"}, in state-dict order. */
    void collectParameters(String prefix, Map<String, Parameter> out) {
        for (int i = 0; i < convs.size(); i++) {
            String name = prefix + convNames.get(i);
            out.put(name + ".weight", convs.get(i).getParameters().get("weight"));
            out.put(name + ".bias", convs.get(i).getParameters().get("bias"));
        }
    }
}
