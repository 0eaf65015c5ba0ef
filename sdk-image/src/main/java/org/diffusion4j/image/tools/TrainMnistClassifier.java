package org.diffusion4j.image.tools;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.metrics.MnistClassifier;
import org.diffusion4j.image.weights.TorchWeights;

/**
 * Trains the FID-MNIST classifier on the shipped 20k MNIST training subset and writes its weights.
 * Usage: {@code TrainMnistClassifier <out.safetensors> [epochs=2] [seed=0]}.
 */
public final class TrainMnistClassifier {

    private TrainMnistClassifier() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TrainMnistClassifier <out.safetensors> [epochs] [seed]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0L;
        LabeledImages train = LabeledImages.mnistTrain20k();
        LabeledImages test = LabeledImages.mnistTest();
        try (NDManager m = NDManager.newBaseManager()) {
            MnistClassifier c = new MnistClassifier(seed).initialize(m);
            long t0 = System.nanoTime();
            List<Double> losses = c.train(train, epochs, 128, 1e-3f, NoiseSource.seeded(seed + 1), m);
            double secs = (System.nanoTime() - t0) / 1e9;
            double acc = c.accuracy(test, m);
            TorchWeights.save(c.namedParameters(), out);
            System.out.printf("epochs=%d seed=%d losses=%s train_s=%.1f test_accuracy=%.4f -> %s%n", epochs, seed,
                    losses, secs, acc, out);
        }
    }
}
