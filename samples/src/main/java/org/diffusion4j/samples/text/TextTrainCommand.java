package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.samples.ResumeOptions;
import org.diffusion4j.samples.RunOptions;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.HuggingFaceJsonTokenizer;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.text.train.DiffusionLmTraining;
import org.diffusion4j.text.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains (or resumes) a Diffusion-LM on E2E src1_valid through sdk-core's trainer. */
@Command(name = "train", mixinStandardHelpOptions = true, defaultValueProvider = TextTrainCommand.Recipe.class,
        description = "Train a Diffusion-LM on E2E or your own sentences (resumes from the newest checkpoint in --run-dir).")
public final class TextTrainCommand implements Callable<Integer> {

    @Option(names = "--run-dir", defaultValue = "runs/text", description = "vocabulary, checkpoints and model/ (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--layers", defaultValue = "2", description = "transformer layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--hidden", defaultValue = "128", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--length", defaultValue = "40", description = "sequence length L incl. START/END (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--data", description = "your own sentences, one per line, UTF-8; blank lines are skipped "
            + "(default: E2E src1_valid)")
    Path data;

    @Option(names = "--tokenizer", description = "a Hugging Face tokenizer.json to split the sentences with; it is "
            + "saved with the run and the model (default: split on whitespace, for pre-tokenised text such as E2E)")
    Path tokenizer;

    @Option(names = "--min-count", description = "vocabulary rule: keep words seen more than this many times "
            + "(default: 10, Diffusion-LM's E2E setting)")
    Integer minCount;

    @Mixin
    RunOptions run;

    @Mixin
    ResumeOptions resume;

    @Override
    public Integer call() throws Exception {
        TrainingSettings.Builder settings = TrainingSettings.builder(runDir).run(run.settings(TrainingSettings.E2E_RUN))
                .sequenceLength(length).hiddenSize(hidden).layers(layers);
        if (minCount != null) {
            settings.minCount(minCount);
        }
        TrainingSettings s = settings.build();
        List<String> texts = data == null ? E2eCorpus.load(E2eCorpus.Split.TRAIN).texts() : readSentences(data);
        try (NDManager manager = NDManager.newBaseManager();
             Tokenizer tok = tokenizer == null ? new WhitespaceTokenizer() : HuggingFaceJsonTokenizer.load(tokenizer)) {
            DiffusionLmTraining training = new DiffusionLmTraining(s, System.out);
            if (tok instanceof HuggingFaceJsonTokenizer hf) {
                training = training.withTokenizer(hf);
            }
            if (data != null) {
                training = training.describingData(data.getFileName() + " (" + texts.size() + " lines)");
            }
            List<List<String>> sentences = texts.stream().map(tok::tokenize).toList();
            (resume.allowSettingChanges() ? training.allowingSettingChanges() : training).run(sentences, manager);
        }
        return 0;
    }

    /** The non-blank lines of a UTF-8 file. */
    static List<String> readSentences(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--data: expected a text file with one sentence per line, got " + file
                    + " (no such file)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("--data: expected UTF-8 text, got bytes that are not UTF-8 in " + file, e);
        }
        List<String> out = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--data: expected at least one non-blank line, got none in " + file);
        }
        return out;
    }

    /** The shipped model's run ({@link TrainingSettings#E2E_RUN}) as the run options' defaults. */
    public static final class Recipe extends RunOptions.Defaults {
        @Override
        protected RunSettings recipe() {
            return TrainingSettings.E2E_RUN;
        }
    }
}
