package org.diffusion4j.audio.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.LogMelDistance;

/**
 * Scores a schedule by vocoding held-out clips from their mels with it and averaging the
 * {@link LogMelDistance} to the originals (the paper's LS-MSE criterion; lmnt noise_schedule.py scores at
 * hop 150). The vocoder is any function (mel, schedule) → audio, so the search runs with whatever model
 * and sampler the caller has; the generated audio is trimmed to the reference's length (it is hop·F ≥ N
 * samples long).
 */
public final class LogMelScheduleScorer implements ScheduleGridSearch.Scorer {

    /** Turns a compressed mel [nMels][frames] into audio of at least hop·frames samples with a schedule. */
    @FunctionalInterface
    public interface Vocoder {
        float[] vocode(float[][] mel, InferenceSchedule schedule);
    }

    private final Vocoder vocoder;
    private final List<float[]> references = new ArrayList<>();
    private final List<float[][]> mels = new ArrayList<>();
    private final LogMelDistance distance;

    /**
     * @param conditioning the model's mel recipe, used to compute the mels the vocoder receives
     * @param distance the scoring metric (e.g. {@link LogMelDistance#wavegrad})
     */
    public LogMelScheduleScorer(Vocoder vocoder, List<float[]> heldOut, MelSpectrogram conditioning, LogMelDistance distance) {
        this.vocoder = Objects.requireNonNull(vocoder, "vocoder");
        this.distance = Objects.requireNonNull(distance, "distance");
        if (heldOut == null || heldOut.isEmpty()) {
            throw new IllegalArgumentException("heldOut: expected at least one clip, got none");
        }
        for (float[] clip : heldOut) {
            references.add(clip.clone());
            mels.add(conditioning.compute(clip));
        }
    }

    @Override
    public double score(InferenceSchedule candidate) {
        double sum = 0;
        for (int i = 0; i < references.size(); i++) {
            float[] ref = references.get(i);
            float[] gen = vocoder.vocode(mels.get(i), candidate);
            if (gen.length < ref.length) {
                throw new IllegalStateException("vocoder returned " + gen.length + " samples for a clip of " + ref.length);
            }
            sum += distance.distance(ref, Arrays.copyOf(gen, ref.length));
        }
        return sum / references.size();
    }
}
