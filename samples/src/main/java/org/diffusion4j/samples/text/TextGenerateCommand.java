package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import com.google.inject.Injector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.text.control.InfillTemplate;
import org.diffusion4j.text.control.LengthControl;
import org.diffusion4j.text.control.TokenConstraint;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.decode.DecodeRequest;
import org.diffusion4j.text.decode.DiffusionLmDecoder;
import org.diffusion4j.text.decode.GuidedDecoder;
import org.diffusion4j.text.decode.Rounding;
import org.diffusion4j.text.decode.SamplerKind;
import org.diffusion4j.text.decode.SemanticGuidance;
import org.diffusion4j.text.model.DiffusionLmModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints sentences from the shipped (or a given) Diffusion-LM, optionally controlled. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate sentences with the shipped Diffusion-LM (no training needed).")
public final class TextGenerateCommand implements Callable<Integer> {

    @Option(names = "--n", defaultValue = "10", description = "sentences (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--steps", defaultValue = "200", description = "sampler steps, at most 2000 (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--sampler", defaultValue = "ddim", description = "ddim, dpmpp2m or ddpm (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--length", description = "exact number of words (START and END anchored through the latent)")
    Integer length;

    @Option(names = "--infill", description = "template, each ___ is one generated word, e.g. \"the ___ is a ___ restaurant\"")
    String infill;

    @Option(names = "--food", description = "steer towards this food value (classifier guidance, ddim)")
    String food;

    @Option(names = "--area", description = "steer towards this area value (classifier guidance, ddim)")
    String area;

    @Option(names = "--rounding", defaultValue = "nearest", description = "nearest or argmax (default: ${DEFAULT-VALUE})")
    String rounding;

    @Option(names = "--mbr", defaultValue = "1", description = "MBR over this many candidates per sentence (default: ${DEFAULT-VALUE})")
    int mbr;

    @Option(names = "--no-clamp", description = "disable the clamping trick")
    boolean noClamp;

    @Option(names = "--allow-special-in-slots", description = "with --length/--infill, let free positions round to START/END/UNK/PAD too")
    boolean allowSpecial;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--model", description = "model directory (default: the shipped E2E model)")
    Path model;

    @Override
    public Integer call() throws Exception {
        if (length != null && infill != null) {
            throw new IllegalArgumentException("--length and --infill: give one (an infill template fixes the length), got both");
        }
        if (food != null && area != null) {
            throw new IllegalArgumentException("--food and --area: one guided field at a time, got both");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            generate(Models.injector(model, manager), manager);
        }
        return 0;
    }

    private void generate(Injector injector, NDManager manager) throws IOException {
        DiffusionLmModel m = injector.getInstance(DiffusionLmModel.class);
        Tokenizer tokenizer = injector.getInstance(Tokenizer.class);   // freed with the manager
        int l = m.config().sequenceLength();
        TokenConstraint constraint = null;
        if (length != null) {
            if (length < 1 || length > l - 2) {
                throw new IllegalArgumentException("--length: expected 1.." + (l - 2) + " words (model length " + l
                        + " minus START and END), got " + length);
            }
            constraint = LengthControl.of(length + 2, l);
        } else if (infill != null) {
            constraint = InfillTemplate.parse(infill, tokenizer, m.vocabulary(), l);
        }
        DecodeRequest request = new DecodeRequest(n, steps, SamplerKind.parse(sampler), seed,
                Rounding.valueOf(rounding.toUpperCase(Locale.ROOT)), !noClamp, constraint, mbr, !allowSpecial);
        long t0 = System.nanoTime();
        List<List<String>> out;
        if (food != null || area != null) {
            String field = food != null ? "food" : "area";
            SemanticGuidance g = SemanticGuidance.of(Models.classifier(injector, field), food != null ? food : area);
            out = injector.getInstance(GuidedDecoder.class).decode(request, g, manager);
        } else {
            out = injector.getInstance(DiffusionLmDecoder.class).decode(request, manager);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (List<String> s : out) {
            System.out.println(tokenizer.detokenize(s));
        }
        System.err.printf(Locale.ROOT, "%d sentences in %.2f s (%s, %d steps, seed %d)%n", out.size(), seconds, sampler,
                steps, seed);
    }
}
