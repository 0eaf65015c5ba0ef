package org.diffusion4j.text.control;

import java.util.Arrays;
import org.diffusion4j.text.data.Vocabulary;

/**
 * Length control without a classifier (Li et al. 2022 §7 "Length"): START fixed at position 0, END at
 * position L − 1 and PAD after it, all enforced through the latent by {@link TokenConstraint#anchor}. L
 * counts START and END, so the sentence has L − 2 words.
 */
public final class LengthControl {

    private LengthControl() {
    }

    /**
     * @param length      L, the requested length including START and END (≥ 2)
     * @param modelLength the model's sequence length
     */
    public static TokenConstraint of(int length, int modelLength) {
        if (length < 2 || length > modelLength) {
            throw new IllegalArgumentException("length: expected 2.." + modelLength
                    + " (START + words + END within the model length " + modelLength + "), got " + length);
        }
        long[] ids = new long[modelLength];
        Arrays.fill(ids, Vocabulary.PAD);
        boolean[] known = new boolean[modelLength];
        ids[0] = Vocabulary.START;
        known[0] = true;
        ids[length - 1] = Vocabulary.END;
        for (int i = length - 1; i < modelLength; i++) {
            known[i] = true;
        }
        return new TokenConstraint(ids, known);
    }
}
