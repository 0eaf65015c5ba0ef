package org.diffusion4j.samples;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.diffusion4j.core.sampling.SamplingListener;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;

/**
 * A console progress bar (me.tongfei:progressbar, on stderr) for training — step, running loss, steps/s, ETA —
 * and for sampling — network evaluations, rate, ETA. One instance per run; close it when the run ends.
 */
public final class ConsoleProgress implements TrainingListener, SamplingListener, AutoCloseable {

    private final String task;
    private ProgressBar bar;
    private double runningLoss = Double.NaN;

    private ConsoleProgress(String task, long total) {
        this.task = task;
        if (total > 0) {
            bar = newBar(total);
        }
    }

    /** A bar for a training run of {@code totalSteps} optimiser steps. */
    public static ConsoleProgress training(String task, long totalSteps) {
        return new ConsoleProgress(task, totalSteps);
    }

    /** A bar for sampling runs; its length comes from {@link #onStart(int)}. */
    public static ConsoleProgress sampling(String task) {
        return new ConsoleProgress(task, 0);
    }

    private ProgressBar newBar(long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    @Override
    public void onStep(TrainingProgress p) {
        // An exponential moving average keeps the displayed loss readable despite per-batch noise.
        runningLoss = Double.isNaN(runningLoss) ? p.loss() : 0.98 * runningLoss + 0.02 * p.loss();
        bar.stepTo(p.step());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f  %.0f steps/s", runningLoss, p.stepsPerSecond()));
    }

    @Override
    public void onStart(int totalSteps) {
        close();
        bar = newBar(totalSteps);
    }

    @Override
    public void onStep(int index, int t, NDArray x) {
        bar.stepTo(index + 1L);
        bar.setExtraMessage("t=" + t);
    }

    @Override
    public void onEnd() {
        close();
    }

    @Override
    public void close() {
        // ProgressBar redraws on every close: close once.
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
