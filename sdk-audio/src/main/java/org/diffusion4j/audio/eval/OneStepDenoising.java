package org.diffusion4j.audio.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import org.diffusion4j.audio.vocode.VocoderModel;

/**
 * How well a WaveGrad network removes noise in one call, per noise level: a diagnostic of where a vocoder's
 * training falls short, independent of any sampling schedule.
 *
 * <p>For each level l, every clip y₀ (cut to whole mel frames) is noised to y = l·y₀ + √(1 − l²)·ε with a
 * seeded ε, the network predicts ε̂, and the clean estimate is ŷ₀ = (y − √(1 − l²)·ε̂)/l (the inversion of
 * the noising, WaveGrad eq. 4 solved for y₀). Reported over all samples of all clips: mean |ε − ε̂| (the
 * training loss at that level), the SNR of the rescaled noisy input y/l against y₀, and the SNR of ŷ₀, both
 * 10·log10(Σy₀²/Σ(x − y₀)²). A network that denoises well has an estimate SNR far above the input's at the
 * low noise levels (l near 1) where the last steps of every inference schedule run.
 */
public final class OneStepDenoising {

    /** ε̂ for a noisy batch: x [1, T], level [1], mel [1, nMels, F]. */
    @FunctionalInterface
    public interface NoisePredictor {
        NDArray predict(NDArray x, NDArray level, NDArray mel);
    }

    /** One level's figures. */
    public record Row(double level, double noiseL1, double inputSnrDb, double estimateSnrDb) {
    }

    private OneStepDenoising() {
    }

    /** The network of a loaded vocoder as a predictor (inference mode). */
    public static NoisePredictor of(VocoderModel model) {
        Objects.requireNonNull(model, "model");
        return (x, level, mel) -> model.model().forward(new ParameterStore(x.getManager(), false),
                new NDList(x, level, mel), false).head();
    }

    public static List<Row> measure(NoisePredictor predictor, List<VocoderDataset.Item> clips, int hop, double[] levels,
                                    long seed, NDManager manager) {
        return measure(predictor, null, clips, hop, levels, seed, manager);
    }

    /**
     * As {@link #measure(NoisePredictor, List, int, double[], long, NDManager)} for a network trained with PriorGrad's
     * prior (null: N(0, I)): the noise is s⊙ε, the network predicts s⊙ε, and the L1 column is mean |ε − ε̂/s|, the
     * training loss of {@code WaveGradObjective} with that prior.
     */
    public static List<Row> measure(NoisePredictor predictor, MelEnergyPrior prior, List<VocoderDataset.Item> clips,
                                    int hop, double[] levels, long seed, NDManager manager) {
        Objects.requireNonNull(predictor, "predictor");
        Objects.requireNonNull(manager, "manager");
        if (clips == null || clips.isEmpty()) {
            throw new IllegalArgumentException("clips: expected at least one clip, got " + (clips == null ? "null" : "none"));
        }
        List<Row> rows = new ArrayList<>();
        for (double l : levels) {
            if (!(l > 0 && l < 1)) {
                throw new IllegalArgumentException("levels: expected values in (0, 1), got " + l);
            }
            double sigma = Math.sqrt(1 - l * l);
            Random rng = new Random(seed);
            double signal = 0;
            double inputError = 0;
            double estimateError = 0;
            double l1 = 0;
            long count = 0;
            for (VocoderDataset.Item clip : clips) {
                float[][] mel = clip.mel();
                int bands = mel.length;
                int frames = mel[0].length;
                int samples = Math.min(frames * hop, clip.audio().length);
                float[] y0 = clip.audio();
                float[] eps = new float[frames * hop];
                float[] x = new float[frames * hop];
                float[] std = prior == null ? null : prior.std(mel, hop);
                for (int i = 0; i < x.length; i++) {
                    eps[i] = (float) rng.nextGaussian();
                    x[i] = (float) (l * (i < y0.length ? y0[i] : 0) + sigma * eps[i] * (std == null ? 1 : std[i]));
                }
                float[] flat = new float[bands * frames];
                for (int b = 0; b < bands; b++) {
                    System.arraycopy(mel[b], 0, flat, b * frames, frames);
                }
                float[] predicted;
                try (NDManager scope = manager.newSubManager()) {
                    predicted = predictor.predict(scope.create(x, new Shape(1, x.length)),
                            scope.create(new float[] {(float) l}, new Shape(1)),
                            scope.create(flat, new Shape(1, bands, frames))).toFloatArray();
                }
                if (predicted.length != x.length) {
                    throw new IllegalStateException("predictor returned " + predicted.length + " values for " + x.length
                            + " samples");
                }
                for (int i = 0; i < samples; i++) {
                    double estimate = (x[i] - sigma * predicted[i]) / l;
                    double input = x[i] / l;
                    signal += (double) y0[i] * y0[i];
                    inputError += (input - y0[i]) * (input - y0[i]);
                    estimateError += (estimate - y0[i]) * (estimate - y0[i]);
                    l1 += Math.abs(predicted[i] / (std == null ? 1 : std[i]) - eps[i]);
                    count++;
                }
            }
            rows.add(new Row(l, l1 / count, 10 * Math.log10(signal / inputError), 10 * Math.log10(signal / estimateError)));
        }
        return rows;
    }

    /** A markdown table of rows. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| level √ᾱ | noise σ | mean abs(ε − ε̂) | SNR of y/l (dB) | SNR of ŷ₀ (dB) | gain (dB) |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %.4f | %.4f | %.4f | %.2f | %.2f | %+.2f |%n", r.level(),
                    Math.sqrt(1 - r.level() * r.level()), r.noiseL1(), r.inputSnrDb(), r.estimateSnrDb(),
                    r.estimateSnrDb() - r.inputSnrDb()));
        }
        return sb.toString();
    }

    /**
     * {@code OneStepDenoising MODEL_DIR [CLIP_LIST] [CLIPS]}: the table for the first CLIPS (default 3) clips of
     * the list (default the held-out list), seed 1, levels 0.3 to 0.9999, with the model's prior if it has one.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: OneStepDenoising MODEL_DIR [CLIP_LIST] [CLIPS]");
            System.exit(2);
        }
        Path list = Path.of(args.length > 1 ? args[1] : "sdk-audio/data/espeak-30/heldout.txt");
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        double[] levels = {0.3, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999, 0.9999};
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel vm = VocoderModel.load(Path.of(args[0]), manager);
            VocoderDataset data = VocoderDataset.load(list, vm.melSpectrogram(), false);
            List<VocoderDataset.Item> clips = data.items().subList(0, Math.min(n, data.size()));
            System.out.print(markdown(measure(of(vm), vm.model().config().prior(), clips, vm.recipe().hop(), levels, 1,
                    manager)));
        }
    }
}
