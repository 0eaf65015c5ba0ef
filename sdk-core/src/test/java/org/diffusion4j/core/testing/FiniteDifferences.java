package org.diffusion4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.diffusion4j.core.memory.NativeArrays;

/** Test support (shared through sdk-core's test jar): finite-difference checks of a network's gradients. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * Gradients of every parameter after {@code backward} (which records a forward and calls backward): gradient
     * recording is switched on for the parameters before and off after, so later finite-difference losses run
     * without it.
     */
    public static Map<String, float[]> gradients(Map<String, Parameter> parameters, Runnable backward) {
        for (Parameter p : parameters.values()) {
            p.getArray().setRequiresGradient(true);
        }
        backward.run();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            grads.put(e.getKey(), e.getValue().getArray().getGradient().toFloatArray());
            e.getValue().getArray().setRequiresGradient(false);
        }
        return grads;
    }

    /** Index of the element of largest magnitude (the first on ties). */
    public static int argMaxAbs(float[] values) {
        int k = 0;
        for (int i = 1; i < values.length; i++) {
            k = Math.abs(values[i]) > Math.abs(values[k]) ? i : k;
        }
        return k;
    }

    /**
     * (L(w + h·e_k) − L(w − h·e_k)) / 2h for element {@code k} of the float32 parameter {@code w}, which is restored
     * afterwards. {@code loss} must evaluate L without gradient recording.
     */
    public static double centralDifference(NDArray w, int k, double h, DoubleSupplier loss) {
        float[] v = w.toFloatArray();
        float original = v[k];
        try {
            v[k] = (float) (original + h);
            NativeArrays.copyInto(w, v);
            double up = loss.getAsDouble();
            v[k] = (float) (original - h);
            NativeArrays.copyInto(w, v);
            double down = loss.getAsDouble();
            return (up - down) / (2 * h);
        } finally {
            v[k] = original;
            NativeArrays.copyInto(w, v);
        }
    }
}
