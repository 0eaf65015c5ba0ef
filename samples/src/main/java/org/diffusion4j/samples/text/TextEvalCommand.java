package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusion4j.text.bench.TextEvaluation;
import org.diffusion4j.text.decode.SamplerKind;
import org.diffusion4j.text.model.DiffusionLmModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scores the model against real held-out text and the n-gram sampler, per sampler and step count, plus control. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Perplexity (teacher KN LM), distinct-1/2, copy rate, time per sentence and control success.")
public final class TextEvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model directory (default: the shipped E2E model)")
    Path model;

    @Option(names = "--n", defaultValue = "200", description = "sentences per row (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--samplers", defaultValue = "ddim,dpmpp2m", split = ",", description = "fast samplers (default: ${DEFAULT-VALUE})")
    List<String> samplers;

    @Option(names = "--steps", defaultValue = "200,50,20", split = ",", description = "step counts (default: ${DEFAULT-VALUE})")
    List<Integer> steps;

    @Option(names = "--mbr", defaultValue = "1", split = ",", description = "MBR candidates per sentence, a row for "
            + "each (default: ${DEFAULT-VALUE} = no MBR)")
    List<Integer> mbr;

    @Option(names = "--ddpm-n", defaultValue = "64", description = "sentences for the 2,000-step ancestral row; 0 skips it (default: ${DEFAULT-VALUE})")
    int ddpmN;

    @Option(names = "--control-n", defaultValue = "50", description = "sentences per control target (default: ${DEFAULT-VALUE})")
    int controlN;

    @Option(names = "--control-steps", defaultValue = "50", description = "DDIM steps for control runs (default: ${DEFAULT-VALUE})")
    int controlSteps;

    @Option(names = "--seed", defaultValue = "102", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Injector injector = Models.injector(model, manager);
            DiffusionLmModel m = injector.getInstance(DiffusionLmModel.class);
            TextEvaluation eval = new TextEvaluation(m);
            TextEvaluation.header(System.out);
            for (TextEvaluation.Row r : eval.references(n, seed)) {
                TextEvaluation.print(System.out, r);
            }
            for (String name : samplers) {
                for (int s : steps) {
                    for (int k : mbr) {
                        TextEvaluation.print(System.out,
                                eval.generate(new TextEvaluation.Setting(SamplerKind.parse(name), s, n, k), seed, manager));
                    }
                }
            }
            if (ddpmN > 0) {
                TextEvaluation.print(System.out, eval.generate(new TextEvaluation.Setting(SamplerKind.DDPM, 2000, ddpmN), seed, manager));
            }
            if (controlN > 0) {
                for (boolean wordsOnly : new boolean[] {false, true}) {
                    double length = eval.lengthSuccess(List.of(10, 15, 20, 25), controlN / 4 + 1, SamplerKind.DDIM,
                            controlSteps, seed, wordsOnly, manager);
                    System.out.printf(Locale.ROOT, "length control (10/15/20/25 words, ddim %d, %s): exact match %.3f%n",
                            controlSteps, wordsOnly ? "free positions rounded among words" : "anchors only", length);
                }
                TextEvaluation.InfillScore infill = eval.infill(controlN, 3, SamplerKind.DDIM, controlSteps, seed, manager);
                System.out.printf(Locale.ROOT, "infill (first/last 3 words of %d held-out sentences fixed, ddim %d): middle-word "
                        + "accuracy %.3f, fixed words kept %.3f%n", infill.sentences(), controlSteps, infill.wordAccuracy(),
                        infill.fixedKept());
                for (String[] target : new String[][] {{"food", "Chinese"}, {"food", "English"}, {"area", "riverside"},
                        {"area", "city centre"}}) {
                    TextEvaluation.ControlScore c = eval.semantic(Models.classifier(injector, target[0]), target[1],
                            controlN, controlSteps, seed, manager);
                    System.out.printf(Locale.ROOT, "semantic %s=%s (ddim %d): guided %.3f, unguided %.3f, guided perplexity %.2f "
                            + "(names delexicalised %.2f)%n", c.field(), c.value(), controlSteps, c.guided(), c.unguided(),
                            c.guidedPerplexity(), c.guidedDelexicalisedPerplexity());
                }
            }
        }
        return 0;
    }
}
