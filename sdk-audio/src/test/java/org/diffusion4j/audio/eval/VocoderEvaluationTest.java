package org.diffusion4j.audio.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.diffusion4j.audio.data.VocoderDataset;
import org.diffusion4j.audio.mel.MelSpectrogram;
import org.junit.jupiter.api.Test;

class VocoderEvaluationTest {

    private static VocoderDataset heldOut() throws IOException {
        return VocoderDataset.load(Path.of("data/espeak-30/heldout.txt"), MelSpectrogram.wavegrad(22050), false);
    }

    @Test
    void theReferenceItselfScoresZeroAndAGainScoresItsClosedForm() throws IOException {
        VocoderDataset data = heldOut();
        List<VocoderDataset.Item> clips = VocoderEvaluation.cut(data, 12, 2);
        assertEquals(2, clips.size());
        VocoderEvaluation eval = new VocoderEvaluation(clips, data.melSpectrogram());
        // a method may return more samples than the clip (hop·F): only the clip's length is scored
        List<VocoderEvaluation.Row> same = eval.run("copy", c -> Arrays.copyOf(c.audio(), c.audio().length + 300));
        for (VocoderEvaluation.Row r : same) {
            assertEquals(0, r.logMel(), 1e-12);
            assertEquals(0, r.mcd(), 1e-9);
            assertEquals(0, r.mrStft(), 1e-9);
            assertEquals(0, r.ffe(), 0);
            assertEquals(12 * 300 / 22050.0, r.audioSeconds(), 1e-12);
        }
        // a gain on a clip with no silence (the spectral floor 1e-7 would otherwise hide the log term)
        MelSpectrogram mel = data.melSpectrogram();
        java.util.Random rng = new java.util.Random(5);
        float[] tone = new float[3600];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.2 * rng.nextGaussian()); // white noise: every STFT bin far above the floor
        }
        VocoderEvaluation toneEval = new VocoderEvaluation(List.of(new VocoderDataset.Item("tone", tone, mel.compute(tone))), mel);
        double a = 0.5;
        List<VocoderEvaluation.Row> half = toneEval.run("half", c -> {
            float[] y = c.audio().clone();
            for (int i = 0; i < y.length; i++) {
                y[i] *= (float) a;
            }
            return y;
        });
        VocoderEvaluation.Summary s = VocoderEvaluation.summarise(half);
        // MR-STFT of a gain a is |1 − a| + |ln a| per resolution (docs/audio.md), up to the 1e-7 magnitude floor
        assertEquals(Math.abs(1 - a) + Math.abs(Math.log(a)), s.mrStft(), 1e-3);
        assertEquals(0, s.mcd(), 1e-6);
        assertEquals("half", s.method());
        assertEquals(1, s.clips());
        String table = VocoderEvaluation.markdown(List.of(VocoderEvaluation.summarise(same), s));
        assertTrue(table.contains("| half |"), table);
    }

    @Test
    void cutKeepsTheHeadAndRecomputesItsMel() throws IOException {
        VocoderDataset data = heldOut();
        VocoderDataset.Item first = data.items().get(0);
        VocoderDataset.Item cut = VocoderEvaluation.cut(data, 10, 1).get(0);
        assertArrayEquals(Arrays.copyOf(first.audio(), 3000), cut.audio(), 0f);
        assertEquals(1 + 3000 / 300, cut.mel()[0].length);
        assertThrows(IllegalArgumentException.class, () -> VocoderEvaluation.cut(data, 0, 1));
    }

    @Test
    void aMethodReturningTooFewSamplesIsAnError() throws IOException {
        VocoderDataset data = heldOut();
        VocoderEvaluation eval = new VocoderEvaluation(VocoderEvaluation.cut(data, 5, 1), data.melSpectrogram());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> eval.run("short", c -> new float[10]));
        assertTrue(e.getMessage().contains("10 samples"), e.getMessage());
    }
}
