package org.diffusion4j.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MelRecipeTest {

    @Property(tries = 50)
    void propertiesRoundTripToAnEqualRecipe(@ForAll @IntRange(min = 8000, max = 48000) int rate,
            @ForAll @IntRange(min = 1, max = 300) int hop, @ForAll @IntRange(min = 1, max = 256) int mels,
            @ForAll @DoubleRange(min = 0, max = 3000) double fMin) {
        MelRecipe r = new MelRecipe(rate, 1024, 800, hop, mels, fMin, rate / 2.0 - 0.1, 1.0, true, 1e-5, 20, 100);
        MelRecipe back = MelRecipe.parse(r.toProperties());
        assertEquals(r, back);
        assertTrue(r.differences(back).isEmpty());
        assertEquals(r.toProperties(), back.toProperties());
    }

    @Test
    void wavegradRecipeIsLmntsPreprocess() {
        MelRecipe r = MelRecipe.wavegrad(22050);
        assertEquals(new MelRecipe(22050, 2048, 1200, 300, 128, 20, 11025, 1, true, 1e-5, 20, 100), r);
    }

    @Test
    void requireSameAsNamesEveryDifferingField() {
        MelRecipe a = MelRecipe.wavegrad(22050);
        MelRecipe b = MelRecipe.wavegrad(24000).withNMels(80);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.requireSameAs(b, "checkpoint"));
        assertTrue(e.getMessage().contains("sampleRate (expected 22050, got 24000)"), e.getMessage());
        assertTrue(e.getMessage().contains("nMels (expected 128, got 80)"), e.getMessage());
        assertTrue(e.getMessage().contains("fMax"), e.getMessage());
        a.requireSameAs(MelRecipe.wavegrad(22050), "same");
    }

    @Test
    void rejectsInvalidParametersAndMissingKeys() {
        assertThrows(IllegalArgumentException.class, () -> new MelRecipe(22050, 1000, 800, 300, 128, 20, 11025, 1, true, 1e-5, 20, 100));
        assertThrows(IllegalArgumentException.class, () -> new MelRecipe(22050, 2048, 1200, 300, 128, 20, 12000, 1, true, 1e-5, 20, 100));
        assertThrows(IllegalArgumentException.class, () -> new MelRecipe(22050, 2048, 4096, 300, 128, 20, 11025, 1, true, 1e-5, 20, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MelRecipe.parse("mel.nFft=2048\n"));
        assertTrue(e.getMessage().contains("missing key"), e.getMessage());
    }
}
