package org.diffusion4j.audio.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.diffusion4j.audio.schedule.LogMelScheduleScorer;
import org.diffusion4j.audio.schedule.ScheduleGridSearch;
import org.diffusion4j.audio.vocode.WaveGradVocoder;

/**
 * The paper's schedule search run with a trained vocoder: {@link ScheduleGridSearch} (β_n = m_n·10^{e_n},
 * exponents evenly spaced from 10^minExponent to 10^maxExponent, every mantissa combination) scored by
 * {@link LogMelScheduleScorer} (mean log-mel distance at hop 150, lmnt's criterion) on held-out clips.
 * To bound the cost on a CPU, each clip can be cut to its first {@code maxFrames} mel frames (whole hops, so
 * the mel of the cut equals the first frames of the clip's mel up to the right edge's reflection padding).
 */
public final class ScheduleSearch {

    private ScheduleSearch() {
    }

    /** The clips' first {@code maxFrames}·hop samples (whole clips when shorter). */
    public static List<float[]> heads(VocoderDataset clips, int maxFrames) {
        Objects.requireNonNull(clips, "clips");
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames: expected >= 1, got " + maxFrames);
        }
        int hop = clips.melSpectrogram().recipe().hop();
        List<float[]> out = new ArrayList<>();
        for (VocoderDataset.Item it : clips.items()) {
            int n = Math.min(it.audio().length, maxFrames * hop);
            out.add(Arrays.copyOf(it.audio(), n));
        }
        return out;
    }

    /** Runs the grid with a fixed seed for every candidate (common random numbers: differences are the schedule's). */
    public static ScheduleGridSearch.Result run(WaveGradVocoder vocoder, VocoderDataset clips, ScheduleGridSearch grid,
                                                int maxFrames, long seed) {
        Objects.requireNonNull(vocoder, "vocoder");
        Objects.requireNonNull(grid, "grid");
        LogMelScheduleScorer scorer = new LogMelScheduleScorer((mel, schedule) -> vocoder.vocode(mel, schedule, seed),
                heads(clips, maxFrames), clips.melSpectrogram(), new LogMelDistance(clips.melSpectrogram().recipe().withHop(150)));
        return grid.search(scorer);
    }

    /** Renames the winner (e.g. "searched-6") for saving. */
    public static InferenceSchedule named(ScheduleGridSearch.Result result, String name) {
        return new InferenceSchedule(name, result.best().betas());
    }
}
