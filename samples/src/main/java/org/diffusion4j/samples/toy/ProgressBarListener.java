package org.diffusion4j.samples.toy;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;

/** A console progress bar for training: step, loss (running mean), steps/s and ETA (progressbar's own). */
final class ProgressBarListener implements TrainingListener, AutoCloseable {

    private final ProgressBar bar;
    private double runningLoss = Double.NaN;
    private boolean closed;

    ProgressBarListener(String task, long totalSteps) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps).setStyle(ProgressBarStyle.ASCII)
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
    public void close() {
        // ProgressBar redraws on every close; close once.
        if (!closed) {
            closed = true;
            bar.close();
        }
    }
}
