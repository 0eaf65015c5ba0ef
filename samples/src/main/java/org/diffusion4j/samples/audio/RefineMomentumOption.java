package org.diffusion4j.samples.audio;

import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.refine.MelConsistencyRefiner;
import picocli.CommandLine.Option;

/** The momentum option of the mel-consistency rounds that {@code vocode} and {@code eval} share (a picocli mixin). */
public final class RefineMomentumOption {

    @Option(names = "--refine-momentum", defaultValue = "0.9",
            description = "momentum in [0, 1) of the mel-consistency rounds, as fast Griffin-Lim; 0 = plain (default: ${DEFAULT-VALUE})")
    double momentum;

    /** A refiner of this many rounds on the recipe, with the option's momentum. */
    MelConsistencyRefiner refiner(MelRecipe recipe, int rounds) {
        return new MelConsistencyRefiner(recipe, rounds, momentum);
    }
}
