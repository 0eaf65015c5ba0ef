package org.diffusion4j.samples.audio;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.train.WaveGradObjective;
import org.diffusion4j.audio.train.WaveGradTraining;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.samples.NativeSetup;
import org.diffusion4j.samples.ResumeOptions;
import org.diffusion4j.samples.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains (or resumes) a WaveGrad vocoder on a list of WAV files. */
@Command(name = "train", mixinStandardHelpOptions = true, defaultValueProvider = TrainCommand.Recipe.class,
        description = "Train a WaveGrad vocoder (resumes from RUN_DIR/checkpoints; EMA weights go to RUN_DIR/model).")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = AudioCommand.DEFAULT_TRAIN,
            description = "list of WAV files, one per line, relative to the list (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--run-dir", defaultValue = "runs/audio/small", description = "run directory (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--network", defaultValue = "small", description = "small, wide or base (default: ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--noise-level-scale", description = "multiplier of the noise level √ᾱ before its sinusoidal "
            + "encoding: 1 as lmnt-com/wavegrad, 5000 as the WaveGrad paper (default: the network's own, 1)")
    Double noiseLevelScale;

    @Option(names = "--crop-frames", defaultValue = "24", description = "mel frames per crop, 300 samples each (default: ${DEFAULT-VALUE})")
    int cropFrames;

    @Mixin
    RunOptions run;

    @Mixin
    ResumeOptions resume;

    @Option(names = "--low-noise-fraction", defaultValue = "0", description = "fraction of training noise levels drawn "
            + "log-uniform in the noise variance 1 - l^2 instead of lmnt's uniform-per-step draw, to train the low "
            + "noise levels of the last sampling steps more (0 = lmnt; default: ${DEFAULT-VALUE})")
    double lowNoiseFraction;

    @Option(names = "--film-init", defaultValue = "ZERO_SCALE",
            description = "a new run's FiLM scale weights: ZERO_SCALE (start as a pure shift) or LMNT (Xavier, as "
                    + "lmnt-com/wavegrad); ignored on resume (default: ${DEFAULT-VALUE})")
    WaveGradTraining.FilmInit filmInit;

    @Option(names = "--prior-std-min", defaultValue = "0",
            description = "0 = WaveGrad's N(0, I) noise; a value in (0, 1] = PriorGrad's data-dependent prior (noise "
                    + "scaled per frame by the mel's normalised energy, floored at this value; PriorGrad uses 0.1), "
                    + "fitted to the training set and saved with the model (default: ${DEFAULT-VALUE})")
    double priorStdMin;

    @Option(names = "--spectral-loss-weight", defaultValue = "0",
            description = "weight of an auxiliary multi-resolution STFT loss on the network's estimate of the clean audio, "
                    + "scaled per example by the signal fraction l^2 (0 = WaveGrad's L1 loss alone; a per-invocation "
                    + "setting like the learning rate; default: ${DEFAULT-VALUE})")
    double spectralLossWeight;

    @Option(names = "--noise-loss", defaultValue = "L1",
            description = "distance between the noise and the network's estimate: L1 (WaveGrad's; its minimiser is the "
                    + "median) or L2 (DDPM's L_simple; the mean the sampler assumes); recorded in the run, changed on "
                    + "resume only with --change-settings (default: ${DEFAULT-VALUE})")
    WaveGradObjective.NoiseLoss noiseLoss;

    @Option(names = "--allow-resample", description = "resample WAVs at another rate (with a warning) instead of refusing them")
    boolean allowResample;

    @Override
    public Integer call() throws Exception {
        NativeSetup.singleThreadUnlessSet();
        WaveGradConfig cfg = AudioCommand.network(network);
        if (noiseLevelScale != null) {
            cfg = cfg.toBuilder().noiseLevelScale(noiseLevelScale).build();
        }
        WaveGradTraining.Options o = WaveGradTraining.Options.builder(data, runDir).network(cfg)
                .run(run.settings(WaveGradTraining.Options.LMNT_RUN)).cropFrames(cropFrames).allowResample(allowResample)
                .lowNoiseFraction(lowNoiseFraction).filmInit(filmInit).priorStdMin(priorStdMin)
                .spectralLossWeight(spectralLossWeight).noiseLoss(noiseLoss).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            long reached = WaveGradTraining.run(o, manager, System.out, resume.allowSettingChanges());
            System.out.println("done at step " + reached + "; model in " + runDir.resolve("model"));
        }
        return 0;
    }

    /** lmnt's run ({@link WaveGradTraining.Options#LMNT_RUN}) as the run options' defaults. */
    public static final class Recipe extends RunOptions.Defaults {
        @Override
        protected RunSettings recipe() {
            return WaveGradTraining.Options.LMNT_RUN;
        }
    }
}
