package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;

/** A fully connected layer with torch.nn.Linear's layout: {@code weight} [out, in], {@code bias} [out]. */
public final class Dense extends AbstractBlock implements TorchNamed {

    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int inFeatures, int outFeatures) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException(
                    "features: expected > 0, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = addParameter(
                Params.constant("weight", Parameter.Type.WEIGHT, new Shape(outFeatures, inFeatures), 0f));
        this.bias = addParameter(Params.constant("bias", Parameter.Type.BIAS, new Shape(outFeatures), 0f));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() < 1 || x.getShape().getLastDimension() != inFeatures) {
            throw new IllegalArgumentException("x: expected [..., " + inFeatures + "], got " + x.getShape());
        }
        return Linear.linear(x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape().clone();
        s[s.length - 1] = outFeatures;
        return new Shape[] {new Shape(s)};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }

    @Override
    public void initializeWeights(NoiseSource noise) {
        double bound = 1.0 / Math.sqrt(inFeatures);
        Params.fillUniform(weight, bound, noise);
        Params.fillUniform(bias, bound, noise);
    }
}
