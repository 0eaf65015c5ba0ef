package org.diffusion4j.text.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffusion4j.core.nn.SeededInitializer;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.training.AdamW;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.SequenceEncoder;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.model.RoundingOps;

/**
 * Trains a {@link FieldClassifier} on noisy latents of a frozen Diffusion-LM embedding (Li et al. 2022 §5.1, the
 * release's time-aware classifiers): for a sentence w with MR value c, t ~ U{0..T−1},
 * x_t = √ᾱ_t·EMB(w) + √(1 − ᾱ_t)·ε, and the loss is −log p_φ(c | x_t, t). AdamW from sdk-core; every draw from
 * one seeded {@link NoiseSource}.
 */
public final class FieldClassifierTraining {

    private static final int MAX_SKIPPED_IN_A_ROW = 10;

    private FieldClassifierTraining() {
    }

    /**
     * @param field  an MR field of the corpus (unknown fields fail with the known ones listed)
     * @param sizes  the classifier's architecture; its embeddingDim, sequenceLength and T must be the model's
     */
    public static FieldClassifier train(DiffusionLmModel model, GaussianDiffusion diffusion, E2eCorpus corpus, String field,
            FieldClassifier.Sizes sizes, int steps, int batchSize, double learningRate, long seed, NDManager manager,
            PrintStream log) {
        ControlFields fields = ControlFields.from(corpus);
        List<String> values = fields.values(field);
        SequenceEncoder encoder = new SequenceEncoder(model.vocabulary(), model.config().sequenceLength());
        WhitespaceTokenizer tok = new WhitespaceTokenizer();
        List<long[]> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int[] pair : fields.labelled(field, corpus)) {
            List<String> words = tok.tokenize(corpus.examples().get(pair[0]).text());
            if (words.size() <= encoder.maxWords()) {
                ids.add(encoder.encode(words).ids());
                labels.add(pair[1]);
            }
        }
        if (ids.size() < batchSize) {
            throw new IllegalArgumentException("batchSize: expected at most " + ids.size() + " (labelled sentences for '"
                    + field + "'), got " + batchSize);
        }
        NoiseSource noise = NoiseSource.seeded(seed);
        FieldClassifierBlock block = FieldClassifier.newBlock(sizes, values.size(), manager, new SeededInitializer(noise.split()));
        ParameterList params = block.getParameters();
        List<NDArray> weights = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            weights.add(params.valueAt(i).getArray());
        }
        int l = model.config().sequenceLength();
        try (AdamW adam = new AdamW(manager, weights, 0.9, 0.999, 1e-8, 0.0)) {
            double running = 0;
            int skippedInARow = 0;
            for (int step = 0; step < steps; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(new NDList(weights));
                    long[] flat = new long[batchSize * l];
                    float[] y = new float[batchSize * values.size()];
                    for (int b = 0; b < batchSize; b++) {
                        int i = noise.nextInt(ids.size());
                        System.arraycopy(ids.get(i), 0, flat, b * l, l);
                        y[b * values.size() + labels.get(i)] = 1f;
                    }
                    ParameterStore ps = new ParameterStore(scope, false);
                    // stopGradient() makes a new array in the model's manager; everything computed from it (x0, x_t,
                    // the classifier's activations and autograd graph) would land there too and live as long as the
                    // model: ~150 MB/s of native memory growth before this line moved it into the step's scope.
                    NDArray e = model.block().embeddings(ps, scope.getDevice(), false).stopGradient();
                    e.attach(scope);
                    NDArray x0 = RoundingOps.embed(e, scope.create(flat, new Shape(batchSize, l)));
                    NDArray t = scope.create(noise.uniformTimesteps(batchSize, diffusion.numTimesteps()));
                    NDArray xt = diffusion.qSample(x0, t, noise);
                    NDArray loss;
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        NDArray logits = block.forward(new ParameterStore(scope, false), new NDList(xt, t), true).head();
                        loss = logits.logSoftmax(1).mul(scope.create(y, new Shape(batchSize, values.size()))).sum()
                                .div(-batchSize);
                        gc.backward(loss);
                    }
                    List<NDArray> grads = new ArrayList<>();
                    for (NDArray w : weights) {
                        grads.add(w.getGradient());
                    }
                    double lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
                    NDList squares = new NDList();
                    for (NDArray g : grads) {
                        squares.add(g.square().sum());
                    }
                    double norm = Math.sqrt(ai.djl.ndarray.NDArrays.stack(squares).sum().toType(DataType.FLOAT64, false).getDouble());
                    if (!Double.isFinite(lossValue) || !Double.isFinite(norm)) {
                        List<String> bad = new ArrayList<>();
                        for (int i = 0; i < grads.size(); i++) {
                            if (grads.get(i).isNaN().any().getBoolean() || grads.get(i).isInfinite().any().getBoolean()) {
                                bad.add(params.keyAt(i));
                            }
                            // an in-place fill also clears NaN (g − g would not)
                            grads.get(i).set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
                        }
                        // libtorch on CPU sporadically returns NaN gradients below the attention while the loss is
                        // finite (docs/text.md): skip such a step, fail only if it keeps happening.
                        if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
                            throw new IllegalStateException("classifier training: non-finite loss " + lossValue
                                    + " or gradient norm " + norm + " at step " + step + " in " + bad + ", "
                                    + skippedInARow + " steps in a row");
                        }
                        log.printf(Locale.ROOT, "classifier %s step %d skipped: non-finite gradients in %s%n", field, step, bad);
                        continue;
                    }
                    skippedInARow = 0;
                    // Global-norm clipping at 1, as sdk-core's trainer does by default.
                    adam.step(scope, weights, grads, learningRate, Math.min(1.0, 1.0 / (norm + 1e-6)));
                    for (NDArray g : grads) {
                        g.subi(g);
                    }
                    running += lossValue;
                    if ((step + 1) % 100 == 0) {
                        log.printf(Locale.ROOT, "classifier %s step %d loss %.4f%n", field, step + 1, running / 100);
                        running = 0;
                    }
                }
            }
        }
        return new FieldClassifier(field, values, model.vocabulary().fingerprint(), sizes, block);
    }
}
