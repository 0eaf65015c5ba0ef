package org.diffusion4j.text.decode;

import org.diffusion4j.text.control.TokenConstraint;

/**
 * One decoding run.
 *
 * @param count         sentences to return
 * @param steps         sampler steps (2,000 = every step of the training schedule)
 * @param sampler       which sdk-core sampler
 * @param seed          seed of x_T and every step's noise
 * @param rounding      final rounding
 * @param clamp         the clamping trick: every predicted x̂0 replaced by its nearest word embedding
 * @param constraint    known tokens anchored through masked generation (length, infill), or null
 * @param mbrCandidates candidates per returned sentence for MBR selection; 1 = no MBR
 * @param slotsAreWords with a constraint: clamp and round the free positions among words only (no START, END,
 *                      UNK or PAD), since the constraint already fixes where the sentence ends; ignored without one
 */
public record DecodeRequest(int count, int steps, SamplerKind sampler, long seed, Rounding rounding, boolean clamp,
        TokenConstraint constraint, int mbrCandidates, boolean slotsAreWords) {

    public DecodeRequest {
        if (count < 1) {
            throw new IllegalArgumentException("count: expected >= 1, got " + count);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps: expected >= 1, got " + steps);
        }
        if (sampler == null) {
            throw new IllegalArgumentException("sampler: expected one of ddpm, ddim, dpmpp2m, got null");
        }
        if (rounding == null) {
            throw new IllegalArgumentException("rounding: expected NEAREST or ARGMAX, got null");
        }
        if (mbrCandidates < 1) {
            throw new IllegalArgumentException("mbrCandidates: expected >= 1, got " + mbrCandidates);
        }
    }

    /** Unconditional, clamped, nearest rounding, no MBR. */
    public static DecodeRequest of(int count, int steps, SamplerKind sampler, long seed) {
        return new DecodeRequest(count, steps, sampler, seed, Rounding.NEAREST, true, null, 1, true);
    }

    public DecodeRequest withConstraint(TokenConstraint c) {
        return new DecodeRequest(count, steps, sampler, seed, rounding, clamp, c, mbrCandidates, slotsAreWords);
    }

    public DecodeRequest withMbr(int candidates) {
        return new DecodeRequest(count, steps, sampler, seed, rounding, clamp, constraint, candidates, slotsAreWords);
    }

    public DecodeRequest withRounding(Rounding r) {
        return new DecodeRequest(count, steps, sampler, seed, r, clamp, constraint, mbrCandidates, slotsAreWords);
    }

    public DecodeRequest withSlotsAreWords(boolean v) {
        return new DecodeRequest(count, steps, sampler, seed, rounding, clamp, constraint, mbrCandidates, v);
    }
}
