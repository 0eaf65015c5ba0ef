package org.diffusion4j.image.metrics;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Classifier statistics of generated samples: mean confidence (the top class probability), histogram of
 * predicted classes, and, when the requested classes are given, the fraction predicted as requested.
 */
public record ClassifierReport(double meanConfidence, int[] histogram, double agreement) {

    public ClassifierReport {
        histogram = histogram.clone();
    }

    @Override
    public int[] histogram() {
        return histogram.clone();
    }

    /** @param requested requested class per sample, or null for unconditional samples (agreement NaN) */
    public static ClassifierReport of(MnistClassifier classifier, NDArray samples, long[] requested) {
        double[][] p = classifier.probabilities(samples);
        if (requested != null && requested.length != p.length) {
            throw new IllegalArgumentException("requested: expected " + p.length + " labels, got " + requested.length);
        }
        int[] hist = new int[10];
        double conf = 0;
        int agree = 0;
        for (int i = 0; i < p.length; i++) {
            int c = MnistClassifier.argmax(p[i]);
            hist[c]++;
            conf += p[i][c];
            if (requested != null && requested[i] == c) {
                agree++;
            }
        }
        return new ClassifierReport(conf / p.length, hist,
                requested == null ? Double.NaN : (double) agree / p.length);
    }

    @Override
    public String toString() {
        return String.format("confidence %.4f, agreement %.4f, histogram %s", meanConfidence, agreement,
                Arrays.toString(histogram));
    }
}
