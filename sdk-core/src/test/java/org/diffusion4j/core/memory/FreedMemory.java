package org.diffusion4j.core.memory;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/** Test support: makes use-after-free of Java-backed arrays visible instead of timing-dependent. */
final class FreedMemory {

    private FreedMemory() {
    }

    /** Forces the JVM to free unreachable direct buffers, then reuses that memory for NaNs. */
    static void collectAndOverwrite(NDManager m) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (int i = 0; i < 64; i++) {
            float[] nan = new float[256];
            Arrays.fill(nan, Float.NaN);
            m.create(nan).close();
        }
    }
}
