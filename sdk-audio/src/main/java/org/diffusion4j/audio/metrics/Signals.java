package org.diffusion4j.audio.metrics;

/** Argument checks shared by the metrics. */
final class Signals {

    private Signals() {
    }

    /**
     * Metrics compare time-aligned signals sample for sample; they never trim silently. A vocoder returns
     * hop·F samples for a clip of N ≤ hop·F samples, so trim both to the same length first.
     */
    static void requireSameLength(float[] reference, float[] generated) {
        if (reference == null || generated == null) {
            throw new IllegalArgumentException("reference/generated: expected arrays, got null");
        }
        if (reference.length != generated.length) {
            throw new IllegalArgumentException("generated: expected " + reference.length
                    + " samples (the reference's length; trim both first), got " + generated.length);
        }
    }
}
