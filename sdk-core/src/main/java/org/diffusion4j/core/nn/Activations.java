package org.diffusion4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activations written so that they are safe to differentiate through DJL's PyTorch engine. */
public final class Activations {

    private Activations() {
    }

    /**
     * SiLU(x) = x·σ(x) (Elfwing et al. 2018). Not DJL's {@code Activation.swish(x, 1f)}: that computes
     * x·σ(1·x) through {@code mul(Number)}, whose temporary scalar autograd reads after it was freed
     * (see {@link org.diffusion4j.core.memory.Scalars}).
     */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
