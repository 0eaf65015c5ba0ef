package org.diffusion4j.samples.image;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.image.data.ImageFolder;
import org.diffusion4j.image.data.LabeledImages;
import org.diffusion4j.image.model.ImageDiffusionModel;
import org.diffusion4j.image.model.UNet2DConfig;
import org.diffusion4j.image.train.ImageDiffusionTraining;
import org.diffusion4j.samples.ConsoleProgress;
import org.diffusion4j.samples.NativeSetup;
import org.diffusion4j.samples.ResumeOptions;
import org.diffusion4j.samples.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains (or resumes) a U-Net on MNIST or on a folder of images; the run directory makes it resumable. */
@Command(name = "train", mixinStandardHelpOptions = true, defaultValueProvider = TrainCommand.Recipe.class,
        description = "Train a class-conditional U-Net with classifier-free-guidance dropout; rerun to resume.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--images", description = "folder of PNG/JPEG images (sub-folders = classes); default: the shipped "
            + "20k MNIST training images")
    Path images;

    @Option(names = "--size", defaultValue = "32", description = "image side for --images (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--rgb", description = "read --images in colour (default: grayscale)")
    boolean rgb;

    @Option(names = "--mnist-model", defaultValue = "shipped", description = "the U-Net trained on MNIST: shipped "
            + "(the same as wide: 32 channels, attention at 14x14, 1.19M parameters) or compact (16 channels, 0.67M "
            + "parameters, shipped until 2026-11-25); default: ${DEFAULT-VALUE}")
    String mnistModel;

    @Option(names = "--model-channels", defaultValue = "32", description = "U-Net base channels for --images "
            + "(default: ${DEFAULT-VALUE})")
    int modelChannels;

    @Option(names = "--run-dir", defaultValue = "runs/image/mnist", description = "checkpoints, model.properties, "
            + "ema.safetensors (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--cond-drop", defaultValue = "0.1", description = "probability that an example's label is "
            + "replaced by the null class, for classifier-free guidance (default: ${DEFAULT-VALUE})")
    double condDrop;

    @Option(names = "--flip", description = "random horizontal flips (not for digits)")
    boolean flip;

    @Mixin
    RunOptions run;

    @Mixin
    ResumeOptions resume;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        LabeledImages data;
        ImageDiffusionModel model;
        if (images == null) {
            data = LabeledImages.mnistTrain20k();
            model = switch (mnistModel) {
                case "shipped" -> ImageDiffusionModel.mnistShippedConfig();
                case "wide" -> ImageDiffusionModel.mnistWideConfig();
                case "compact" -> ImageDiffusionModel.mnistCompactConfig();
                default -> throw new IllegalArgumentException("--mnist-model: expected shipped, wide or compact, got "
                        + mnistModel);
            };
        } else {
            data = ImageFolder.read(images, size, rgb);
            int classes = 0;
            if (data.hasLabels()) {
                for (int i = 0; i < data.count(); i++) {
                    classes = Math.max(classes, data.label(i) + 1);
                }
            }
            int c = rgb ? 3 : 1;
            UNet2DConfig.Builder u = UNet2DConfig.builder().inChannels(c).outChannels(c).modelChannels(modelChannels)
                    .channelMult(1, 2, 2).numResBlocks(2).attentionResolutions(4).numHeads(4).normGroups(8)
                    .useScaleShiftNorm(true);
            if (classes > 1) {
                u.numClasses(classes).nullClass(true);
            }
            model = new ImageDiffusionModel(u.build(), "linear", 1000, size);
            if (classes <= 1) {
                condDrop = 0;
            }
        }
        RunSettings r = run.settings(ImageDiffusionTraining.MNIST_RUN);
        System.out.printf(Locale.ROOT, "%d images %d×%d×%d, run %s, %d steps, batch %d, lr %.1e, seed %d%n",
                data.count(), data.channels(), data.height(), data.width(), runDir, r.steps(), r.batchSize(),
                r.learningRate(), r.seed());
        try (ConsoleProgress bar = ConsoleProgress.training("train", r.steps())) {
            long t0 = System.nanoTime();
            long reached = ImageDiffusionTraining.builder().model(model).images(data).runDir(runDir).run(r)
                    .condDropProbability(condDrop).flip(flip).allowSettingChanges(resume.allowSettingChanges())
                    .listener(bar).build().train();
            bar.close();
            System.out.printf(Locale.ROOT, "step %d reached in %.1f s; EMA weights: %s%n", reached,
                    (System.nanoTime() - t0) / 1e9, runDir.resolve(ImageDiffusionModel.WEIGHTS_FILE));
        }
        return 0;
    }

    /** The shipped MNIST model's run ({@link ImageDiffusionTraining#MNIST_RUN}) as the run options' defaults. */
    public static final class Recipe extends RunOptions.Defaults {
        @Override
        protected RunSettings recipe() {
            return ImageDiffusionTraining.MNIST_RUN;
        }
    }
}
