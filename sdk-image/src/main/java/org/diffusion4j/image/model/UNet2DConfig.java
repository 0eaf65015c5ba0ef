package org.diffusion4j.image.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The arguments of improved-diffusion's {@code UNetModel} (unet.py), plus the two that script_util
 * derives: {@code learnSigma} doubles the output channels (ε and the variance interpolation v) and
 * {@code nullClass} adds one extra label-embedding row (index {@code numClasses}) used as the
 * "no class" label for classifier-free guidance.
 *
 * @param inChannels channels of the input image
 * @param modelChannels base channel count; the time embedding has 4× this width
 * @param outChannels channels of the predicted image (ε or x₀); the network emits twice as many with
 *     {@code learnSigma}
 * @param channelMult channel multiplier per level; the image is halved between levels
 * @param numResBlocks residual blocks per level on the way down (one more on the way up)
 * @param attentionResolutions downsample factors (1, 2, 4, ...) at which self-attention follows each
 *     residual block, as in unet.py (script_util converts image resolutions to these)
 * @param dropout dropout probability inside the residual blocks (training only)
 * @param numHeads attention heads on the way down and in the middle
 * @param numHeadsUpsample attention heads on the way up
 * @param useScaleShiftNorm FiLM conditioning: {@code norm(h)·(1+scale)+shift} instead of adding the embedding
 * @param learnSigma emit 2·outChannels channels
 * @param numClasses number of classes for a class-conditional model, 0 for unconditional
 * @param nullClass whether the label embedding has an extra row (index numClasses) for "no class"
 * @param normGroups GroupNorm groups (32 in improved-diffusion; smaller only for toy models)
 */
public record UNet2DConfig(
        int inChannels,
        int modelChannels,
        int outChannels,
        List<Integer> channelMult,
        int numResBlocks,
        List<Integer> attentionResolutions,
        float dropout,
        int numHeads,
        int numHeadsUpsample,
        boolean useScaleShiftNorm,
        boolean learnSigma,
        int numClasses,
        boolean nullClass,
        int normGroups) {

    public UNet2DConfig {
        channelMult = List.copyOf(channelMult);
        attentionResolutions = List.copyOf(new TreeSet<>(attentionResolutions));
        require(inChannels > 0, "inChannels", "> 0", inChannels);
        require(modelChannels > 0, "modelChannels", "> 0", modelChannels);
        require(outChannels > 0, "outChannels", "> 0", outChannels);
        require(!channelMult.isEmpty(), "channelMult", "at least one level", channelMult);
        require(numResBlocks >= 1, "numResBlocks", ">= 1", numResBlocks);
        require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout);
        require(numHeads >= 1, "numHeads", ">= 1", numHeads);
        require(numHeadsUpsample >= 1, "numHeadsUpsample", ">= 1", numHeadsUpsample);
        require(numClasses >= 0, "numClasses", ">= 0", numClasses);
        require(!nullClass || numClasses > 0, "nullClass", "false for an unconditional model", nullClass);
        require(normGroups >= 1, "normGroups", ">= 1", normGroups);
        for (int m : channelMult) {
            require(m >= 1, "channelMult", "entries >= 1", channelMult);
            int ch = m * modelChannels;
            require(ch % normGroups == 0, "channelMult×modelChannels",
                    "multiples of normGroups=" + normGroups, ch);
        }
        require(modelChannels % normGroups == 0, "modelChannels", "a multiple of normGroups=" + normGroups,
                modelChannels);
        for (int r : attentionResolutions) {
            require(r >= 1 && Integer.bitCount(r) == 1, "attentionResolutions", "powers of two (downsample factors)",
                    attentionResolutions);
        }
        for (int ch : attentionChannels(modelChannels, channelMult, attentionResolutions)) {
            require(ch % numHeads == 0 && ch % numHeadsUpsample == 0, "numHeads",
                    "a divisor of every attention width (" + ch + ")", numHeads + "/" + numHeadsUpsample);
        }
    }

    private static List<Integer> attentionChannels(int mc, List<Integer> mult, List<Integer> attn) {
        List<Integer> out = new ArrayList<>();
        int ds = 1;
        for (int level = 0; level < mult.size(); level++) {
            if (attn.contains(ds)) {
                out.add(mult.get(level) * mc);
            }
            if (level != mult.size() - 1) {
                ds *= 2;
            }
        }
        out.add(mult.get(mult.size() - 1) * mc); // the middle block always attends
        return out;
    }

    private static void require(boolean ok, String name, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": expected " + expected + ", got " + actual);
        }
    }

    /** Output channels of the network: outChannels, doubled with a learned variance. */
    public int networkOutChannels() {
        return learnSigma ? 2 * outChannels : outChannels;
    }

    /** Width of the time (and label) embedding: 4 × modelChannels (unet.py, {@code time_embed_dim}). */
    public int timeEmbedDim() {
        return 4 * modelChannels;
    }

    /** Rows of the label embedding: numClasses, plus one with the null class; 0 when unconditional. */
    public int labelRows() {
        return numClasses == 0 ? 0 : numClasses + (nullClass ? 1 : 0);
    }

    public boolean classConditional() {
        return numClasses > 0;
    }

    /** Image sides must be divisible by this (each level but the last halves the image). */
    public int sizeMultiple() {
        return 1 << (channelMult.size() - 1);
    }

    /**
     * Ho et al. (2020)'s CIFAR-10 model as improved-diffusion expresses it: 128 channels, multipliers
     * (1, 2, 2, 2), 2 residual blocks, attention at 16×16 (downsample factor 2), dropout 0.1, one head,
     * additive time embedding, fixed variance, unconditional.
     */
    public static UNet2DConfig ddpmCifar10() {
        return builder().inChannels(3).modelChannels(128).outChannels(3).channelMult(1, 2, 2, 2)
                .numResBlocks(2).attentionResolutions(2).dropout(0.1f).numHeads(1)
                .useScaleShiftNorm(false).learnSigma(false).build();
    }

    /**
     * The "small" MNIST model: 32 channels, multipliers (1, 2, 2), 1 residual block, attention at
     * downsample factor 2 (14×14), 2 heads, scale-shift norm, 10 classes plus the null class, learned sigma.
     */
    public static UNet2DConfig mnistSmall() {
        return builder().inChannels(1).modelChannels(32).outChannels(1).channelMult(1, 2, 2)
                .numResBlocks(1).attentionResolutions(2).dropout(0.1f).numHeads(2)
                .useScaleShiftNorm(true).learnSigma(true).numClasses(10).nullClass(true).build();
    }

    /** The "production" MNIST model: as {@link #mnistSmall()} with 64 channels, 2 blocks, 4 heads. */
    public static UNet2DConfig mnistProduction() {
        return mnistSmall().toBuilder().modelChannels(64).numResBlocks(2).numHeads(4).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.inChannels = inChannels;
        b.modelChannels = modelChannels;
        b.outChannels = outChannels;
        b.channelMult = new ArrayList<>(channelMult);
        b.numResBlocks = numResBlocks;
        b.attentionResolutions = new ArrayList<>(attentionResolutions);
        b.dropout = dropout;
        b.numHeads = numHeads;
        b.numHeadsUpsample = numHeadsUpsample == numHeads ? -1 : numHeadsUpsample;
        b.useScaleShiftNorm = useScaleShiftNorm;
        b.learnSigma = learnSigma;
        b.numClasses = numClasses;
        b.nullClass = nullClass;
        b.normGroups = normGroups;
        return b;
    }

    /** Defaults follow UNetModel's keyword defaults where it has them. */
    public static final class Builder {
        private int inChannels = 3;
        private int modelChannels = 128;
        private int outChannels = 3;
        private List<Integer> channelMult = List.of(1, 2, 4, 8);
        private int numResBlocks = 2;
        private List<Integer> attentionResolutions = List.of();
        private float dropout = 0f;
        private int numHeads = 1;
        private int numHeadsUpsample = -1;
        private boolean useScaleShiftNorm = false;
        private boolean learnSigma = false;
        private int numClasses = 0;
        private boolean nullClass = false;
        private int normGroups = 32;

        private Builder() {}

        public Builder inChannels(int v) { inChannels = v; return this; }
        public Builder modelChannels(int v) { modelChannels = v; return this; }
        public Builder outChannels(int v) { outChannels = v; return this; }
        public Builder channelMult(int... v) { channelMult = toList(v); return this; }
        public Builder numResBlocks(int v) { numResBlocks = v; return this; }
        public Builder attentionResolutions(int... v) { attentionResolutions = toList(v); return this; }
        public Builder dropout(float v) { dropout = v; return this; }
        public Builder numHeads(int v) { numHeads = v; return this; }
        /** -1 (the default) means "same as numHeads", as in unet.py. */
        public Builder numHeadsUpsample(int v) { numHeadsUpsample = v; return this; }
        public Builder useScaleShiftNorm(boolean v) { useScaleShiftNorm = v; return this; }
        public Builder learnSigma(boolean v) { learnSigma = v; return this; }
        public Builder numClasses(int v) { numClasses = v; return this; }
        public Builder nullClass(boolean v) { nullClass = v; return this; }
        public Builder normGroups(int v) { normGroups = v; return this; }

        public UNet2DConfig build() {
            return new UNet2DConfig(inChannels, modelChannels, outChannels, channelMult, numResBlocks,
                    attentionResolutions, dropout, numHeads, numHeadsUpsample == -1 ? numHeads : numHeadsUpsample,
                    useScaleShiftNorm, learnSigma, numClasses, nullClass, normGroups);
        }

        private static List<Integer> toList(int[] v) {
            List<Integer> l = new ArrayList<>(v.length);
            for (int i : v) {
                l.add(i);
            }
            return l;
        }
    }
}
