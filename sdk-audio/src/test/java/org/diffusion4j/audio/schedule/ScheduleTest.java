package org.diffusion4j.audio.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleTest {

    @TempDir
    Path dir;

    @Test
    void shippedSchedulesHaveTheirPublishedValues() {
        InferenceSchedule train = InferenceSchedule.train1000();
        assertEquals(1000, train.steps());
        assertEquals(1e-6, train.betas()[0], 0);
        assertEquals(0.01, train.betas()[999], 1e-15);
        // anchors: final √ᾱ of the training schedule is 0.0814
        assertEquals(0.0814, train.noiseLevels()[999], 5e-5);
        InferenceSchedule fib = InferenceSchedule.fibonacci25();
        assertEquals(0.121393, fib.betas()[24], 1e-12);
        assertEquals(3e-6, fib.betas()[2], 1e-18);
        assertEquals(50, InferenceSchedule.linear50().steps());
        assertEquals(0.05, InferenceSchedule.linear50().betas()[49], 1e-15);
        // ivanvovk's 6-step schedule ends at √ᾱ ≈ 0.964
        assertEquals(0.964, InferenceSchedule.ivanvovk6().noiseLevels()[5], 5e-4);
    }

    @Property(tries = 20)
    void textRoundTripIsExact(@ForAll @IntRange(min = 1, max = 60) int steps, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = Math.nextUp(r.nextDouble() * 0.999);
        }
        InferenceSchedule s = new InferenceSchedule("random-" + steps, b);
        assertEquals(s, InferenceSchedule.parse(s.toText()));
    }

    @Test
    void saveLoadAndRejectInvalidBetas() throws IOException {
        Path f = dir.resolve("fib.schedule");
        InferenceSchedule.fibonacci25().save(f);
        assertEquals(InferenceSchedule.fibonacci25(), InferenceSchedule.load(f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InferenceSchedule("bad", new double[] {0.1, 1.0}));
        assertTrue(e.getMessage().contains("betas[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InferenceSchedule("bad", new double[] {0.0}));
        assertThrows(IllegalArgumentException.class, () -> new InferenceSchedule("bad", new double[] {Double.NaN}));
        Path bad = Files.writeString(dir.resolve("bad.schedule"), "name=x\nbetas=0.1,1.5\n");
        assertThrows(IOException.class, () -> InferenceSchedule.load(bad));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count()); // no temporary left behind
        }
    }

    @Test
    void gridHasMantissaTimesDecadeCandidatesAndSearchFindsTheMinimum() {
        ScheduleGridSearch grid = new ScheduleGridSearch(new double[] {1, 3, 7}, 4, -6, -3);
        assertEquals(81, grid.size());
        InferenceSchedule c0 = grid.candidate(0);
        assertArrayEquals(new double[] {1e-6, 1e-5, 1e-4, 1e-3}, c0.betas(), 1e-18);
        // index digits base 3, least significant first: 2 + 1·3 + 0·9 + 2·27 = 59 → mantissas 7, 3, 1, 7
        assertArrayEquals(new double[] {7e-6, 3e-5, 1e-4, 7e-3}, grid.candidate(59).betas(), 1e-17);
        double[] target = grid.candidate(59).betas();
        ScheduleGridSearch.Result r = grid.search(s -> {
            double d = 0;
            for (int i = 0; i < target.length; i++) {
                d += Math.abs(Math.log(s.betas()[i] / target[i]));
            }
            return d;
        });
        assertArrayEquals(target, r.best().betas(), 0);
        assertEquals(0.0, r.score(), 1e-12);
        assertEquals(81, r.candidatesScored());
        assertEquals(531_441, ScheduleGridSearch.paper(6).size());
        assertThrows(IllegalArgumentException.class, () -> new ScheduleGridSearch(new double[] {20}, 3, -6, -1));
    }

    @Test
    void logMelScorerIsZeroForAPerfectVocoderAndPositiveOtherwise() {
        int sr = 22050;
        float[] clip = new float[3000];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < clip.length; i++) {
            clip[i] = (float) (0.2 * r.nextGaussian());
        }
        MelSpectrogram mel = MelSpectrogram.wavegrad(sr);
        LogMelDistance d = LogMelDistance.wavegrad(sr);
        // a "vocoder" that returns the clip itself, padded to hop·F samples
        LogMelScheduleScorer perfect = new LogMelScheduleScorer((m, s) -> java.util.Arrays.copyOf(clip, 300 * m[0].length),
                List.of(clip), mel, d);
        assertEquals(0.0, perfect.score(InferenceSchedule.ivanvovk6()), 0);
        LogMelScheduleScorer silent = new LogMelScheduleScorer((m, s) -> new float[300 * m[0].length], List.of(clip), mel, d);
        assertTrue(silent.score(InferenceSchedule.ivanvovk6()) > 1);
    }
}
