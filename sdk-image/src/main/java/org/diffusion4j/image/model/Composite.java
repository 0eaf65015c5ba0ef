package org.diffusion4j.image.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.nn.TorchNamed;

/**
 * Base of the U-Net's composite blocks: children are registered under their PyTorch attribute path
 * (e.g. {@code in_layers.2}) and every parameter shape is fixed at construction, so initialisation needs
 * no shape inference.
 */
abstract class Composite extends AbstractBlock implements TorchNamed {

    private final List<String> names = new ArrayList<>();
    private final List<TorchNamed> named = new ArrayList<>();

    /** Registers a child under its PyTorch path; DJL sees it as a regular child block. */
    protected final <B extends Block & TorchNamed> B child(String torchPath, B block) {
        addChildBlock(torchPath.replace('.', '_'), block);
        names.add(torchPath);
        named.add(block);
        return block;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // parameter shapes are known from the constructor; the input shapes are not needed
        for (Block b : getChildren().values()) {
            b.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        for (int i = 0; i < names.size(); i++) {
            named.get(i).collectParameters(prefix + names.get(i) + ".", out);
        }
    }

    @Override
    public void initializeWeights(NoiseSource noise) {
        for (TorchNamed n : named) {
            n.initializeWeights(noise);
        }
    }
}
