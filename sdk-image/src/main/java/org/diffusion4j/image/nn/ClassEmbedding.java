package org.diffusion4j.image.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;

/** A lookup table as torch.nn.Embedding: {@code weight} [rows, dim], input int64 [B] → [B, dim]. */
public final class ClassEmbedding extends AbstractBlock implements TorchNamed {

    private final int rows;
    private final int dim;
    private final Parameter weight;

    public ClassEmbedding(int rows, int dim) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("rows/dim: expected > 0, got " + rows + "/" + dim);
        }
        this.rows = rows;
        this.dim = dim;
        this.weight = addParameter(Params.constant("weight", Parameter.Type.WEIGHT, new Shape(rows, dim), 0f));
    }

    public int rows() {
        return rows;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray y = inputs.singletonOrThrow();
        if (y.getShape().dimension() != 1) {
            throw new IllegalArgumentException("y: expected shape [B], got " + y.getShape());
        }
        if (y.getDataType() != DataType.INT64 && y.getDataType() != DataType.INT32) {
            throw new IllegalArgumentException("y: expected int64 class indices, got " + y.getDataType());
        }
        long[] ids = y.toType(DataType.INT64, false).toLongArray();
        for (long id : ids) {
            if (id < 0 || id >= rows) {
                throw new IllegalArgumentException("y: expected class indices in [0, " + rows + "), got " + id);
            }
        }
        NDArray w = ps.getValue(weight, y.getDevice(), training);
        NDArray out = w.get(new NDIndex("{}", y.toType(DataType.INT64, false)));
        // the gather lives in the weight's manager; move it to the caller's scope so it is freed with it
        out.attach(y.getManager());
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
    }

    @Override
    public void initializeWeights(NoiseSource noise) {
        Params.fillNormal(weight, noise);
    }
}
