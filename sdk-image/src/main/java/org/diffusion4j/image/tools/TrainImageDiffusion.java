package org.diffusion4j.image.tools;

import java.nio.file.Path;
import java.util.Locale;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.train.ImageDiffusionTraining;

/**
 * Trains (or resumes) the shipped MNIST configuration on the shipped 20k MNIST training images; the same code
 * path as {@code samples image train}. Usage:
 * {@code TrainImageDiffusion <runDir> <totalSteps> [batch=64] [seed=0] [lr=2e-4] [checkpointEvery=250]}.
 */
public final class TrainImageDiffusion {

    private TrainImageDiffusion() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TrainImageDiffusion <runDir> <totalSteps> [batch] [seed] [lr] [checkpointEvery]");
            System.exit(2);
        }
        Path run = Path.of(args[0]);
        long steps = Long.parseLong(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0L;
        double lr = args.length > 4 ? Double.parseDouble(args[4]) : 2e-4;
        int every = args.length > 5 ? Integer.parseInt(args[5]) : 250;
        long t0 = System.nanoTime();
        TrainingListener log = p -> {
            if (p.step() % 10 == 0) {
                print(p, t0);
            }
        };
        long reached = ImageDiffusionTraining.builder().model(ImageDiffusionModel.mnistShippedConfig())
                .images(LabeledImages.mnistTrain20k()).runDir(run)
                .run(r -> r.steps(steps).seed(seed).batchSize(batch).learningRate(lr).checkpointEvery(every))
                .listener(log).build().train();
        System.out.printf(Locale.ROOT, "done: step %d, %.1f s%n", reached, (System.nanoTime() - t0) / 1e9);
    }

    private static void print(TrainingProgress p, long t0) {
        System.out.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e grad %.3f %.3f steps/s elapsed %.0f s%n",
                p.step(), p.targetStep(), p.loss(), p.learningRate(), p.gradNorm(), p.stepsPerSecond(),
                (System.nanoTime() - t0) / 1e9);
        System.out.flush();
    }
}
