package org.diffusion4j.audio.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.diffusion4j.audio.prior.MelEnergyPrior;

/**
 * The shape of a WaveGrad network (Chen et al. 2021, lmnt-com/wavegrad layout).
 *
 * <p>Upsampling path: a 3-wide conv maps the {@code nMels}-band mel to {@code melEmbedChannels}, then one
 * UBlock per entry of {@code upFactors}/{@code upChannels}/{@code upDilations} (four dilations each).
 * Downsampling path: a 5-wide conv to {@code firstDownChannels}, then DBlocks with {@code downChannels}
 * and the up factors in reverse order without the first one, so DBlock outputs line up with UBlock
 * outputs; each DBlock uses dilations 1, 2, 4. FiLM i maps the i-th downsampling output to the channels of
 * the UBlock at the same resolution. The product of the up factors must equal the mel hop, so that the
 * output has exactly hop·F samples.
 *
 * <p>{@code noiseLevelScale} multiplies √ᾱ before the sinusoidal encoding: 1 in lmnt-com/wavegrad, 5000 in
 * the paper and ivanvovk/WaveGrad. It must match the checkpoint.
 *
 * <p>{@code prior} is null for WaveGrad's N(0, I) noise, or the {@link MelEnergyPrior} (PriorGrad) the network
 * was trained with: the network then expects noise shaped by the mel's energy, so the prior belongs to the
 * weights as much as the layer sizes do, and is saved and checked with them.
 */
public record WaveGradConfig(int nMels, int hop, int[] upFactors, int[] upChannels, int[][] upDilations,
        int firstDownChannels, int[] downChannels, int melEmbedChannels, double noiseLevelScale, float leakySlope,
        MelEnergyPrior prior) {

    public WaveGradConfig {
        upFactors = upFactors.clone();
        upChannels = upChannels.clone();
        upDilations = deepCopy(upDilations);
        downChannels = downChannels.clone();
        if (nMels < 1) {
            throw new IllegalArgumentException("nMels: expected >= 1, got " + nMels);
        }
        int n = upFactors.length;
        if (n < 1) {
            throw new IllegalArgumentException("upFactors: expected at least one factor, got none");
        }
        if (upChannels.length != n || upDilations.length != n) {
            throw new IllegalArgumentException("upChannels/upDilations: expected " + n + " entries (one per up factor), got "
                    + upChannels.length + "/" + upDilations.length);
        }
        if (downChannels.length != n - 1) {
            throw new IllegalArgumentException("downChannels: expected " + (n - 1) + " entries (one fewer than up factors), got "
                    + downChannels.length);
        }
        long product = 1;
        for (int i = 0; i < n; i++) {
            if (upFactors[i] < 1) {
                throw new IllegalArgumentException("upFactors[" + i + "]: expected >= 1, got " + upFactors[i]);
            }
            if (upDilations[i].length != 4) {
                throw new IllegalArgumentException("upDilations[" + i + "]: expected 4 dilations, got " + upDilations[i].length);
            }
            for (int d : upDilations[i]) {
                if (d < 1) {
                    throw new IllegalArgumentException("upDilations[" + i + "]: expected dilations >= 1, got " + Arrays.toString(upDilations[i]));
                }
            }
            positive("upChannels[" + i + "]", upChannels[i]);
            product *= upFactors[i];
        }
        if (product != hop) {
            throw new IllegalArgumentException("upFactors: their product must equal the hop " + hop + ", got "
                    + Arrays.toString(upFactors) + " = " + product);
        }
        for (int i = 0; i < downChannels.length; i++) {
            positive("downChannels[" + i + "]", downChannels[i]);
        }
        positive("firstDownChannels", firstDownChannels);
        positive("melEmbedChannels", melEmbedChannels);
        if (!(noiseLevelScale > 0) || Double.isInfinite(noiseLevelScale)) {
            throw new IllegalArgumentException("noiseLevelScale: expected > 0, got " + noiseLevelScale);
        }
        if (!(leakySlope >= 0) || leakySlope >= 1) {
            throw new IllegalArgumentException("leakySlope: expected in [0, 1), got " + leakySlope);
        }
        // the positional encoding splits each FiLM input's channels into sin and cos halves
        if (firstDownChannels % 2 != 0) {
            throw new IllegalArgumentException("firstDownChannels: expected an even count, got " + firstDownChannels);
        }
        for (int i = 0; i < downChannels.length; i++) {
            if (downChannels[i] % 2 != 0) {
                throw new IllegalArgumentException("downChannels[" + i + "]: expected an even count, got " + downChannels[i]);
            }
        }
    }

    /** lmnt-com/wavegrad's base model: 15,920,993 parameters with 128 mels. */
    public static WaveGradConfig base() {
        return builder().build();
    }

    /**
     * The shipped small model: lmnt's layout, factors 5,5,3,2,2 and hop 300, with about a twentieth of the
     * multiply-accumulates (up channels 64,64,32,16,16; first down conv 16; down channels 16,16,32,64; mel
     * embedding 128) and lmnt's noise-level scale 1, so that it trains and runs on a 2-core CPU.
     */
    public static WaveGradConfig small() {
        return builder().upChannels(64, 64, 32, 16, 16).firstDownChannels(16).downChannels(16, 16, 32, 64)
                .melEmbedChannels(128).noiseLevelScale(1).build();
    }

    /**
     * {@link #small()} with twice the channels where the waveform is made at the two highest rates (up channels
     * 64,64,32,32,32; first down conv 32; down channels 32,32,32,64): the shipped small model's 2–8 kHz deficit
     * pointed at its 16-channel full-rate blocks (sdk-audio/models/wavegrad-small/MODEL.md).
     */
    public static WaveGradConfig wide() {
        return builder().upChannels(64, 64, 32, 32, 32).firstDownChannels(32).downChannels(32, 32, 32, 64)
                .melEmbedChannels(128).noiseLevelScale(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().nMels(nMels).hop(hop).upFactors(upFactors).upChannels(upChannels).upDilations(upDilations)
                .firstDownChannels(firstDownChannels).downChannels(downChannels).melEmbedChannels(melEmbedChannels)
                .noiseLevelScale(noiseLevelScale).leakySlope(leakySlope).prior(prior);
    }

    /** The PriorGrad prior the network was trained with; empty for WaveGrad's N(0, I). */
    public Optional<MelEnergyPrior> energyPrior() {
        return Optional.ofNullable(prior);
    }

    public int blocks() {
        return upFactors.length;
    }

    /** Down factor of DBlock i (1-based in lmnt's `downsample` list): the up factors reversed, first dropped. */
    public int downFactor(int i) {
        return upFactors[upFactors.length - i];
    }

    /** Channels of the i-th downsampling output (i = 0 is the first conv). */
    public int downOutChannels(int i) {
        return i == 0 ? firstDownChannels : downChannels[i - 1];
    }

    /**
     * An upper bound R on the network's reach: the output at sample p depends only on the input samples in
     * [p − R, p + R] and the mel frames that hold them, given that the input starts on a multiple of the hop (every
     * resampling grid then falls on the same samples). {@link ChunkedForward} relies on it.
     *
     * <p>Every layer widens the dependence by its reach at its own rate r (samples per position) and the bound is the sum
     * over all layers, every path through the network being a subset of them: a k-wide conv with dilation d reaches
     * d·(k − 1)/2·r either side; nearest upsampling by f from rate r_in to r_out = r_in/f reads a position up to
     * r_in − r_out samples earlier (output j reads input ⌊j/f⌋); keeping every f-th sample reads exactly the sample at
     * the same position. Upsampling path: first_conv (3 wide at the hop), each UBlock's resampling and its four 3-wide
     * convs, last_conv (3 wide at rate 1). Downsampling path: the 5-wide input conv, each DBlock's three 3-wide convs
     * (dilations 1, 2, 4) at its output rate, and each FiLM's two 3-wide convs at its rate. For lmnt's factors
     * (5, 5, 3, 2, 2) and dilations that is 1,843 samples: 6.1 frames of hop 300.
     */
    public int reachSamples() {
        long reach = hop;                                   // first_conv: ±1 mel frame
        int rate = hop;
        for (int i = 0; i < upFactors.length; i++) {
            int out = rate / upFactors[i];
            reach += rate - out;                            // nearest upsampling
            for (int d : upDilations[i]) {
                reach += (long) d * out;                    // 3-wide conv, dilation d
            }
            rate = out;
        }
        reach += 1;                                         // last_conv
        reach += 2;                                         // the 5-wide input conv
        rate = 1;
        for (int level = 0; level < upFactors.length; level++) {
            reach += 2L * rate;                             // FiLM at this level: two 3-wide convs
            if (level + 1 < upFactors.length) {
                rate *= downFactor(level + 1);
                reach += (1 + 2 + 4) * (long) rate;         // DBlock: 3-wide convs with dilations 1, 2, 4
            }
        }
        return Math.toIntExact(reach);
    }

    @Override
    public int[] upFactors() {
        return upFactors.clone();
    }

    @Override
    public int[] upChannels() {
        return upChannels.clone();
    }

    @Override
    public int[][] upDilations() {
        return deepCopy(upDilations);
    }

    @Override
    public int[] downChannels() {
        return downChannels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaveGradConfig c && c.nMels == nMels && c.hop == hop && Arrays.equals(c.upFactors, upFactors)
                && Arrays.equals(c.upChannels, upChannels) && Arrays.deepEquals(c.upDilations, upDilations)
                && c.firstDownChannels == firstDownChannels && Arrays.equals(c.downChannels, downChannels)
                && c.melEmbedChannels == melEmbedChannels && Double.compare(c.noiseLevelScale, noiseLevelScale) == 0
                && Float.compare(c.leakySlope, leakySlope) == 0 && Objects.equals(c.prior, prior);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {nMels, hop, upFactors, upChannels, upDilations, firstDownChannels,
                downChannels, melEmbedChannels, noiseLevelScale, leakySlope, prior});
    }

    @Override
    public String toString() {
        return "WaveGradConfig[nMels=" + nMels + ", hop=" + hop + ", upFactors=" + Arrays.toString(upFactors)
                + ", upChannels=" + Arrays.toString(upChannels) + ", upDilations=" + Arrays.deepToString(upDilations)
                + ", firstDownChannels=" + firstDownChannels + ", downChannels=" + Arrays.toString(downChannels)
                + ", melEmbedChannels=" + melEmbedChannels + ", noiseLevelScale=" + noiseLevelScale
                + ", leakySlope=" + leakySlope + (prior == null ? "" : ", prior=" + prior) + "]";
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + v);
        }
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Defaults are lmnt-com/wavegrad's base model. */
    public static final class Builder {
        private int nMels = 128;
        private int hop = 300;
        private int[] upFactors = {5, 5, 3, 2, 2};
        private int[] upChannels = {512, 512, 256, 128, 128};
        private int[][] upDilations = {{1, 2, 1, 2}, {1, 2, 1, 2}, {1, 2, 4, 8}, {1, 2, 4, 8}, {1, 2, 4, 8}};
        private int firstDownChannels = 32;
        private int[] downChannels = {128, 128, 256, 512};
        private int melEmbedChannels = 768;
        private double noiseLevelScale = 1.0;
        private float leakySlope = 0.2f;
        private MelEnergyPrior prior;

        public Builder nMels(int v) {
            nMels = v;
            return this;
        }

        public Builder hop(int v) {
            hop = v;
            return this;
        }

        public Builder upFactors(int... v) {
            upFactors = v.clone();
            return this;
        }

        public Builder upChannels(int... v) {
            upChannels = v.clone();
            return this;
        }

        public Builder upDilations(int[][] v) {
            upDilations = deepCopy(v);
            return this;
        }

        public Builder firstDownChannels(int v) {
            firstDownChannels = v;
            return this;
        }

        public Builder downChannels(int... v) {
            downChannels = v.clone();
            return this;
        }

        public Builder melEmbedChannels(int v) {
            melEmbedChannels = v;
            return this;
        }

        public Builder noiseLevelScale(double v) {
            noiseLevelScale = v;
            return this;
        }

        public Builder leakySlope(float v) {
            leakySlope = v;
            return this;
        }

        /** PriorGrad's mel-energy prior, or null (the default) for WaveGrad's N(0, I). */
        public Builder prior(MelEnergyPrior v) {
            prior = v;
            return this;
        }

        public WaveGradConfig build() {
            return new WaveGradConfig(nMels, hop, upFactors, upChannels, upDilations, firstDownChannels, downChannels,
                    melEmbedChannels, noiseLevelScale, leakySlope, prior);
        }
    }
}
