package org.diffusion4j.image.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.data.ImageBatch;
import org.diffusion4j.image.data.ImageBatches;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.nn.Conv;
import org.diffusion4j.image.nn.Dense;
import org.diffusion4j.image.weights.TorchWeights;

/**
 * A small CNN for 28×28 greyscale digits, the project's "FID-MNIST" feature extractor: conv3×3(1→32),
 * ReLU, max-pool 2, conv3×3(32→64), ReLU, max-pool 2, Linear(3136→128), ReLU (the 128 features),
 * Linear(128→10). Input [B, 1, 28, 28] in [-1, 1]. Forward returns NDList(logits, features).
 */
public final class MnistClassifier extends AbstractBlock implements FeatureExtractor {

    /** Shipped weights (see the README next to them for the training command and test accuracy). */
    public static final String SHIPPED_RESOURCE = "/org/diffusion4j/image/metrics/mnist-classifier.safetensors";
    public static final int FEATURES = 128;

    private final Conv conv1 = new Conv(2, 1, 32, 3, 1, 1, false);
    private final Conv conv2 = new Conv(2, 32, 64, 3, 1, 1, false);
    private final Dense fc1 = new Dense(64 * 7 * 7, FEATURES);
    private final Dense fc2 = new Dense(FEATURES, 10);
    private final long seed;
    private ParameterStore store;

    public MnistClassifier(long seed) {
        this.seed = seed;
        addChildBlock("conv1", conv1);
        addChildBlock("conv2", conv2);
        addChildBlock("fc1", fc1);
        addChildBlock("fc2", fc2);
    }

    /** Allocates the parameters in {@code manager} with the seeded PyTorch-default initialisation. */
    public MnistClassifier initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        NoiseSource noise = NoiseSource.seeded(seed);
        conv1.initializeWeights(noise);
        conv2.initializeWeights(noise);
        fc1.initializeWeights(noise);
        fc2.initializeWeights(noise);
        store = new ParameterStore(manager, false);
        return this;
    }

    /** The shipped, trained classifier, allocated in {@code manager}. */
    public static MnistClassifier shipped(NDManager manager) throws IOException {
        MnistClassifier c = new MnistClassifier(0).initialize(manager);
        Path tmp = Files.createTempFile("mnist-classifier", ".safetensors");
        try (InputStream in = MnistClassifier.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + SHIPPED_RESOURCE + " not on the class path");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            TorchWeights.load(c.namedParameters(), tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return c;
    }

    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        conv1.collectParameters("conv1.", out);
        conv2.collectParameters("conv2.", out);
        fc1.collectParameters("fc1.", out);
        fc2.collectParameters("fc2.", out);
        return Collections.unmodifiableMap(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : getChildren().values()) {
            b.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 1 || s.get(2) != 28 || s.get(3) != 28) {
            throw new IllegalArgumentException("images: expected [B, 1, 28, 28], got " + s);
        }
        NDArray h = pool(Activation.relu(conv1.forward(ps, new NDList(x), training).head()));
        h = pool(Activation.relu(conv2.forward(ps, new NDList(h), training).head()));
        NDArray f = Activation.relu(fc1.forward(ps, new NDList(h.reshape(s.get(0), 64 * 7 * 7)), training).head());
        NDArray logits = fc2.forward(ps, new NDList(f), training).head();
        return new NDList(logits, f);
    }

    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, 10), new Shape(b, FEATURES)};
    }

    private ParameterStore store() {
        if (store == null) {
            throw new IllegalStateException("call initialize(manager) first");
        }
        return store;
    }

    @Override
    public double[][] features(NDArray images) {
        try (NDManager scope = images.getManager().newSubManager()) {
            images.tempAttach(scope);
            float[] f = forward(store(), new NDList(images), false).get(1).toFloatArray();
            int b = (int) images.getShape().get(0);
            double[][] out = new double[b][FEATURES];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    out[i][j] = f[i * FEATURES + j];
                }
            }
            return out;
        }
    }

    @Override
    public int featureDim() {
        return FEATURES;
    }

    /** Class probabilities [B][10]. */
    public double[][] probabilities(NDArray images) {
        try (NDManager scope = images.getManager().newSubManager()) {
            images.tempAttach(scope);
            float[] p = forward(store(), new NDList(images), false).head().softmax(1).toFloatArray();
            int b = (int) images.getShape().get(0);
            double[][] out = new double[b][10];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < 10; j++) {
                    out[i][j] = p[i * 10 + j];
                }
            }
            return out;
        }
    }

    /** Fraction of {@code data} classified as its label. */
    public double accuracy(LabeledImages data, NDManager manager) {
        int correct = 0;
        int index = 0;
        for (ImageBatch b : ImageBatches.sequential(data, manager, 500)) {
            try (b) {
                for (double[] p : probabilities(b.x0())) {
                    correct += argmax(p) == data.label(index++) ? 1 : 0;
                }
            }
        }
        return (double) correct / data.count();
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Trains with softmax cross-entropy and Adam (Kingma and Ba; DJL's implementation, fixed learning
     * rate), shuffling with {@code noise}. Returns the mean loss of each epoch.
     */
    public List<Double> train(LabeledImages data, int epochs, int batchSize, float learningRate, NoiseSource noise,
            NDManager manager) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("data: expected labelled images, got an unlabelled set");
        }
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        for (Parameter p : namedParameters().values()) {
            p.getArray().setRequiresGradient(true);
        }
        List<Double> losses = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            double sum = 0;
            int steps = 0;
            for (ImageBatch b : ImageBatches.training(data, manager, batchSize, noise, false)) {
                try (NDManager step = manager.newSubManager()) {
                    b.x0().attach(step);
                    b.labels().attach(step);
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        NDArray logits = forward(store(), new NDList(b.x0()), true).head();
                        NDArray loss = logits.logSoftmax(1).mul(b.labels().oneHot(10)).sum(new int[] {1}).mean().neg();
                        gc.backward(loss);
                        sum += loss.getFloat();
                    }
                    for (Parameter p : namedParameters().values()) {
                        NDArray g = p.getArray().getGradient();
                        g.attach(step);
                        adam.update(p.getId(), p.getArray(), g);
                        g.subi(g); // gradients accumulate in libtorch: reset before the next step
                    }
                }
                steps++;
            }
            losses.add(sum / steps);
        }
        for (Parameter p : namedParameters().values()) {
            p.getArray().setRequiresGradient(false);
        }
        return losses;
    }
}
