package org.diffusion4j.text.model;

/**
 * Sizes of a Diffusion-LM network (Li et al. 2022, the {@code TransformerNetModel2} layout) and the
 * timestep convention it was trained under.
 *
 * @param vocabSize         V, rows of the word embedding E (from the {@code Vocabulary})
 * @param embeddingDim      d, the diffusion space (16 for E2E in the paper)
 * @param hiddenSize        h, the transformer width (768 in the paper)
 * @param layers            transformer encoder layers (12 in the paper)
 * @param heads             attention heads; must divide h
 * @param ffnSize           feed-forward width inside each layer (4h in BERT)
 * @param sequenceLength    L, the model's fixed sequence length (64 in the paper)
 * @param maxPositions      rows of the learned position table, ≥ L (512 in the paper's BERT config)
 * @param timeEmbeddingDim  width of the sinusoidal timestep features (128 in the paper), even
 * @param dropout           dropout rate after the input LayerNorm and inside the layers (0.1)
 * @param numTimesteps      T of the training schedule (2,000)
 * @param timeScale         the network sees t·timeScale/T (1,000: improved-diffusion's rescale_timesteps)
 */
public record DiffusionLmConfig(int vocabSize, int embeddingDim, int hiddenSize, int layers, int heads, int ffnSize,
        int sequenceLength, int maxPositions, int timeEmbeddingDim, float dropout, int numTimesteps, float timeScale) {

    public DiffusionLmConfig {
        positive("vocabSize", vocabSize, 5); // the four specials plus at least one word
        positive("embeddingDim", embeddingDim, 1);
        positive("hiddenSize", hiddenSize, 1);
        positive("layers", layers, 0);
        positive("heads", heads, 1);
        positive("ffnSize", ffnSize, 1);
        positive("sequenceLength", sequenceLength, 2);
        positive("timeEmbeddingDim", timeEmbeddingDim, 2);
        positive("numTimesteps", numTimesteps, 1);
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("heads: must divide hiddenSize " + hiddenSize + ", got " + heads);
        }
        if (maxPositions < sequenceLength) {
            throw new IllegalArgumentException("maxPositions: expected >= sequenceLength " + sequenceLength + ", got " + maxPositions);
        }
        if (timeEmbeddingDim % 2 != 0) {
            throw new IllegalArgumentException("timeEmbeddingDim: expected an even number (cos and sin halves), got " + timeEmbeddingDim);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout: expected in [0, 1), got " + dropout);
        }
        if (!(timeScale > 0f) || Float.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale: expected a finite value > 0, got " + timeScale);
        }
    }

    private static void positive(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": expected >= " + min + ", got " + value);
        }
    }

    public static Builder builder(int vocabSize) {
        return new Builder(vocabSize);
    }

    /**
     * The paper's E2E network: d = 16, BERT-base encoder (768 wide, 12 layers, 12 heads, FFN 3072), 512
     * position rows, 128 time features, T = 2,000. About 87.1 M parameters with V = 821.
     */
    public static DiffusionLmConfig paper(int vocabSize) {
        return builder(vocabSize).hiddenSize(768).layers(12).heads(12).ffnSize(3072).maxPositions(512).build();
    }

    /** Weights of the network, the embedding and the rounding bias (E is shared with the rounding head). */
    public long parameterCount() {
        long h = hiddenSize;
        long te = timeEmbeddingDim;
        long time = te * 4 * te + 4 * te + 4 * te * h + h;           // Linear(te→4te), SiLU, Linear(4te→h)
        long up = embeddingDim * h + h + h * h + h;                    // Linear(d→h), Tanh, Linear(h→h)
        long positions = (long) maxPositions * h;
        long inputNorm = 2 * h;
        long layer = 4 * (h * h + h) + 2 * h + h * ffnSize + ffnSize + (long) ffnSize * h + h + 2 * h;
        long down = h * h + h + h * embeddingDim + embeddingDim;       // Linear(h→h), Tanh, Linear(h→d)
        long embedding = (long) vocabSize * embeddingDim;
        long lmBias = vocabSize;
        return time + up + positions + inputNorm + layers * layer + down + embedding + lmBias;
    }

    /** Defaults: the CPU-sized model this SDK trains and ships (d = 16, h = 128, 4 layers × 4 heads, L = 64). */
    public static final class Builder {
        private final int vocabSize;
        private int embeddingDim = 16;
        private int hiddenSize = 128;
        private int layers = 4;
        private int heads = 4;
        private Integer ffnSize;
        private int sequenceLength = 64;
        private Integer maxPositions;
        private int timeEmbeddingDim = 128;
        private float dropout = 0.1f;
        private int numTimesteps = 2000;
        private float timeScale = 1000f;

        private Builder(int vocabSize) {
            this.vocabSize = vocabSize;
        }

        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        /** Default 4 × hiddenSize. */
        public Builder ffnSize(int v) {
            ffnSize = v;
            return this;
        }

        public Builder sequenceLength(int v) {
            sequenceLength = v;
            return this;
        }

        /** Default sequenceLength. */
        public Builder maxPositions(int v) {
            maxPositions = v;
            return this;
        }

        public Builder timeEmbeddingDim(int v) {
            timeEmbeddingDim = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder numTimesteps(int v) {
            numTimesteps = v;
            return this;
        }

        public Builder timeScale(float v) {
            timeScale = v;
            return this;
        }

        public DiffusionLmConfig build() {
            return new DiffusionLmConfig(vocabSize, embeddingDim, hiddenSize, layers, heads,
                    ffnSize != null ? ffnSize : 4 * hiddenSize, sequenceLength,
                    maxPositions != null ? maxPositions : sequenceLength, timeEmbeddingDim, dropout, numTimesteps, timeScale);
        }
    }
}
