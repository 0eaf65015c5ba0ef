package org.diffusion4j.text.bench;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.control.LengthControl;
import org.diffusion4j.text.control.TokenConstraint;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.SequenceEncoder;
import org.diffusion4j.text.data.SlotDelexicaliser;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.text.decode.DecodeRequest;
import org.diffusion4j.text.decode.DiffusionLmDecoder;
import org.diffusion4j.text.decode.GuidedDecoder;
import org.diffusion4j.text.decode.SamplerKind;
import org.diffusion4j.text.decode.SemanticGuidance;
import org.diffusion4j.text.lm.KneserNeyLanguageModel;
import org.diffusion4j.text.lm.NGramSampler;
import org.diffusion4j.text.lm.TextMetrics;
import org.diffusion4j.text.model.DiffusionLmModel;

/**
 * The text benchmark of a Diffusion-LM, on the protocol of {@link TextBaselineReport} (teacher: order-3 Kneser-Ney
 * on half of src1_test split by MR; reference: the other half): per sampler and step count, teacher perplexity
 * (literal and with restaurant names delexicalised, {@link TeacherPerplexity}), distinct-1/2, verbatim copy rate and
 * seconds per sentence, beside real held-out text, real training text and the n-gram sampler; then
 * control success: exact length match, infill word accuracy, and the fraction of guided outputs that contain the
 * requested MR value (beside the same fraction without guidance).
 */
public final class TextEvaluation {

    /** One decoding setting to score: {@code mbr} candidates per sentence (1 = no MBR selection). */
    public record Setting(SamplerKind sampler, int steps, int count, int mbr) {
        public Setting {
            if (mbr < 1) {
                throw new IllegalArgumentException("mbr: expected >= 1, got " + mbr);
            }
        }

        public Setting(SamplerKind sampler, int steps, int count) {
            this(sampler, steps, count, 1);
        }
    }

    /**
     * One row of the quality table.
     *
     * @param perplexity              literal teacher perplexity
     * @param delexicalisedPerplexity teacher perplexity with restaurant names replaced by one placeholder on both sides
     */
    public record Row(String name, double perplexity, double delexicalisedPerplexity, double distinct1, double distinct2,
            double copyRate, double words, double secondsPerSentence) {
    }

    private final DiffusionLmModel model;
    private final Tokenizer tok = new WhitespaceTokenizer();
    private final List<List<String>> train;
    private final TextBaselineReport.HeldOut heldOut;
    private final TeacherPerplexity teacher;

    public TextEvaluation(DiffusionLmModel model) {
        this.model = model;
        E2eCorpus trainCorpus = E2eCorpus.load(E2eCorpus.Split.TRAIN);
        E2eCorpus testCorpus = E2eCorpus.load(E2eCorpus.Split.TEST);
        this.train = trainCorpus.texts().stream().map(tok::tokenize).toList();
        Vocabulary vocab = model.vocabulary();
        this.heldOut = TextBaselineReport.HeldOut.split(testCorpus, tok);
        this.teacher = new TeacherPerplexity(vocab, heldOut.teacherText(), 3, SlotDelexicaliser.e2eNames(List.of(trainCorpus, testCorpus), tok));
    }

    public Row score(String name, List<List<String>> text, double secondsPerSentence) {
        return new Row(name, teacher.literal(text), teacher.delexicalised(text), TextMetrics.distinctN(text, 1), TextMetrics.distinctN(text, 2),
                TextMetrics.copyRate(text, train), text.stream().mapToInt(List::size).average().orElse(0), secondsPerSentence);
    }

    /**
     * Real held-out text, real training text (what the model learns to imitate; its copy rate is 1 by construction)
     * and the n-gram sampler (order 3, at most L − 2 words): n sentences each.
     */
    public List<Row> references(int n, long seed) {
        List<List<String>> ref = new ArrayList<>(heldOut.referenceText());
        Collections.shuffle(ref, new java.util.Random(seed));
        List<Row> rows = new ArrayList<>();
        rows.add(score("real held-out (n=" + Math.min(n, ref.size()) + ")", ref.subList(0, Math.min(n, ref.size())), 0));
        List<List<String>> trainCopy = new ArrayList<>(train);
        Collections.shuffle(trainCopy, new java.util.Random(seed));
        rows.add(score("real training text (n=" + Math.min(n, trainCopy.size()) + ")",
                trainCopy.subList(0, Math.min(n, trainCopy.size())), 0));
        KneserNeyLanguageModel baseline = KneserNeyLanguageModel.train(model.vocabulary(), train, 3);
        NGramSampler sampler = new NGramSampler(baseline, model.config().sequenceLength() - 2);
        long t0 = System.nanoTime();
        List<List<String>> gen = sampler.sample(n, NoiseSource.seeded(seed));
        rows.add(score("n-gram sampler (order 3, n=" + n + ")", gen, (System.nanoTime() - t0) / 1e9 / n));
        return rows;
    }

    /** Unconditional generation with one sampler setting. */
    public Row generate(Setting s, long seed, NDManager manager) {
        DiffusionLmDecoder dec = new DiffusionLmDecoder(model);
        long t0 = System.nanoTime();
        List<List<String>> out = dec.decode(DecodeRequest.of(s.count(), s.steps(), s.sampler(), seed).withMbr(s.mbr()),
                manager);
        double seconds = (System.nanoTime() - t0) / 1e9 / s.count();
        return score("diffusion " + s.sampler().cliName() + " " + s.steps() + " steps" + (s.mbr() > 1 ? " MBR " + s.mbr() : "")
                + " (n=" + s.count() + ")", out, seconds);
    }

    /** Fraction of outputs with exactly the requested number of words, over the given word counts. */
    public double lengthSuccess(List<Integer> wordCounts, int perLength, SamplerKind sampler, int steps, long seed,
            boolean slotsAreWords, NDManager manager) {
        DiffusionLmDecoder dec = new DiffusionLmDecoder(model);
        int ok = 0;
        int total = 0;
        for (int words : wordCounts) {
            TokenConstraint c = LengthControl.of(words + 2, model.config().sequenceLength());
            for (List<String> s : dec.decode(DecodeRequest.of(perLength, steps, sampler, seed + words).withConstraint(c)
                    .withSlotsAreWords(slotsAreWords), manager)) {
                ok += s.size() == words ? 1 : 0;
                total++;
            }
        }
        return (double) ok / total;
    }

    /** Infill result: fraction of blanked words recovered exactly, and of outputs that keep every fixed word. */
    public record InfillScore(double wordAccuracy, double fixedKept, int sentences) {
    }

    /**
     * Infilling held-out sentences: the first and last {@code keep} words of each reference (≤ L − 2 words, more
     * than 2·keep words) are fixed with START, END and PAD, the middle words are generated.
     */
    public InfillScore infill(int n, int keep, SamplerKind sampler, int steps, long seed, NDManager manager) {
        SequenceEncoder enc = new SequenceEncoder(model.vocabulary(), model.config().sequenceLength());
        List<List<String>> refs = new ArrayList<>();
        for (List<String> s : heldOut.referenceText()) {
            if (s.size() <= enc.maxWords() && s.size() > 2 * keep && refs.size() < n) {
                refs.add(s);
            }
        }
        DiffusionLmDecoder dec = new DiffusionLmDecoder(model);
        int hit = 0;
        int blanks = 0;
        int kept = 0;
        for (int i = 0; i < refs.size(); i++) {
            List<String> ref = refs.get(i);
            long[] ids = enc.encode(ref).ids();
            boolean[] known = new boolean[ids.length];
            java.util.Arrays.fill(known, true);
            for (int p = 1 + keep; p <= ref.size() - keep; p++) {
                known[p] = false;
            }
            long[] out = dec.decodeIds(DecodeRequest.of(1, steps, sampler, seed + i).withConstraint(new TokenConstraint(ids, known)),
                    manager).get(0);
            boolean allKept = true;
            for (int p = 0; p < ids.length; p++) {
                if (known[p]) {
                    allKept &= out[p] == ids[p];
                } else {
                    blanks++;
                    hit += out[p] == ids[p] ? 1 : 0;
                }
            }
            kept += allKept ? 1 : 0;
        }
        return new InfillScore((double) hit / Math.max(1, blanks), (double) kept / Math.max(1, refs.size()), refs.size());
    }

    /** Semantic control result for one value: success with guidance and the same rate without. */
    public record ControlScore(String field, String value, double guided, double unguided, double guidedPerplexity,
            double guidedDelexicalisedPerplexity) {
    }

    /** Guided (DDIM, release settings) and unguided outputs, scored by whether they contain the value's words. */
    public ControlScore semantic(FieldClassifier classifier, String value, int n, int steps, long seed, NDManager manager) {
        DecodeRequest r = DecodeRequest.of(n, steps, SamplerKind.DDIM, seed);
        List<List<String>> guided = new GuidedDecoder(model).decode(r, SemanticGuidance.of(classifier, value), manager);
        List<List<String>> plain = new DiffusionLmDecoder(model).decode(r, manager);
        List<String> words = tok.tokenize(value);
        return new ControlScore(classifier.field(), value, containsRate(guided, words), containsRate(plain, words),
                teacher.literal(guided), teacher.delexicalised(guided));
    }

    static double containsRate(List<List<String>> sentences, List<String> words) {
        int ok = 0;
        for (List<String> s : sentences) {
            ok += Collections.indexOfSubList(s, words) >= 0 ? 1 : 0;
        }
        return (double) ok / sentences.size();
    }

    public static void header(PrintStream out) {
        out.printf(Locale.ROOT, "%-44s %10s %10s %10s %10s %10s %7s %10s%n", "text", "perplexity", "ppl delex", "distinct-1",
                "distinct-2", "copy rate", "words", "s/sentence");
    }

    public static void print(PrintStream out, Row r) {
        out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %10.3f %10.3f %10.3f %7.1f %10.4f%n", r.name(), r.perplexity(),
                r.delexicalisedPerplexity(), r.distinct1(),
                r.distinct2(), r.copyRate(), r.words(), r.secondsPerSentence());
    }
}
