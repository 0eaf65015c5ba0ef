package org.diffusion4j.text.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Element-wise selection cond ? a : b written as a blend so that gradients reach both branches' inputs. */
final class NDArrayWhere {

    private NDArrayWhere() {
    }

    static NDArray where(NDArray condition, NDArray a, NDArray b) {
        NDArray m = condition.toType(a.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32, false);
        return a.mul(m).add(b.mul(m.neg().add(1)));
    }
}
