package org.diffusion4j.text.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.E2eExample;
import org.diffusion4j.text.data.SlotDelexicaliser;
import org.diffusion4j.text.data.Tokenizer;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.text.lm.KneserNeyLanguageModel;
import org.diffusion4j.text.lm.NGramSampler;
import org.diffusion4j.text.lm.TextMetrics;

/**
 * Prints the reference figures every text model is compared with: the teacher-LM perplexity of real
 * held-out text and of the n-gram sampler baseline, plus distinct-1/2 and verbatim copy rate.
 *
 * <p>Protocol. Vocabulary: words seen more than 10 times in the training split (src1_valid). Baseline:
 * a Kneser-Ney n-gram model on the training split, sampled from START to END. Teacher: a Kneser-Ney model
 * on half of the held-out split (src1_test), split by meaning representation (MRs in order of first
 * appearance; even-numbered ones train the teacher, odd-numbered ones are the "real held-out text"), so the
 * teacher never saw the diffusion training text nor the references it scores, and no MR is on both sides. Each
 * perplexity is given twice: literal, and with restaurant names delexicalised on both sides ({@link TeacherPerplexity}).
 * Real training text is scored too: it is what a model trained on src1_valid imitates.
 *
 * <p>Usage: {@code java -cp ... org.diffusion4j.text.bench.TextBaselineReport [samples=1000] [seed=102]
 * [baselineOrder=3] [teacherOrder=3]}.
 */
public final class TextBaselineReport {

    private TextBaselineReport() {
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 102L;
        int baselineOrder = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int teacherOrder = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Tokenizer tok = new WhitespaceTokenizer();

        E2eCorpus trainCorpus = E2eCorpus.load(E2eCorpus.Split.TRAIN);
        E2eCorpus testCorpus = E2eCorpus.load(E2eCorpus.Split.TEST);
        List<List<String>> train = trainCorpus.texts().stream().map(tok::tokenize).toList();
        Vocabulary vocab = Vocabulary.build(train, 10);
        HeldOut heldOut = HeldOut.split(testCorpus, tok);
        TeacherPerplexity teacher = new TeacherPerplexity(vocab, heldOut.teacherText(), teacherOrder,
                SlotDelexicaliser.e2eNames(List.of(trainCorpus, testCorpus), tok));
        KneserNeyLanguageModel baseline = KneserNeyLanguageModel.train(vocab, train, baselineOrder);
        NGramSampler sampler = new NGramSampler(baseline, 62); // model length 64 minus START/END
        List<List<String>> generated = sampler.sample(samples, NoiseSource.seeded(seed));

        System.out.printf(Locale.ROOT, "vocabulary: %d tokens (count > 10 in src1_valid), sha256 %s%n", vocab.size(), vocab.fingerprint());
        System.out.printf(Locale.ROOT, "teacher: order-%d interpolated Kneser-Ney on %d src1_test sentences (%d MRs)%n",
                teacherOrder, heldOut.teacherText().size(), heldOut.teacherMrs());
        // distinct-n grows as a sample shrinks, so the reference row uses as many sentences as the baseline.
        List<List<String>> reference = subsample(heldOut.referenceText(), samples, NoiseSource.seeded(seed).split());
        System.out.printf(Locale.ROOT, "real held-out perplexity on all %d reference sentences: %.2f (names delexicalised %.2f)%n",
                heldOut.referenceText().size(), teacher.literal(heldOut.referenceText()),
                teacher.delexicalised(heldOut.referenceText()));
        System.out.printf(Locale.ROOT, "%-36s %10s %10s %10s %10s %10s %8s%n", "text", "perplexity", "ppl delex", "distinct-1",
                "distinct-2", "copy rate", "words");
        row("real held-out (src1_test, n=" + reference.size() + ")", reference, teacher, train);
        row("real training text (src1_valid, n=" + Math.min(samples, train.size()) + ")",
                subsample(train, samples, NoiseSource.seeded(seed).split()), teacher, train);
        row("n-gram sampler (order " + baselineOrder + ", n=" + samples + ")", generated, teacher, train);
        System.out.printf(Locale.ROOT, "baseline sentences cut at 62 words: %d; seed %d%n", sampler.truncatedCount(), seed);
    }

    /** A uniform random subset of {@code n} sentences (partial Fisher-Yates), or all of them if fewer. */
    private static List<List<String>> subsample(List<List<String>> text, int n, NoiseSource noise) {
        List<List<String>> copy = new ArrayList<>(text);
        int k = Math.min(n, copy.size());
        for (int i = 0; i < k; i++) {
            int j = i + noise.nextInt(copy.size() - i);
            List<String> tmp = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, tmp);
        }
        return List.copyOf(copy.subList(0, k));
    }

    private static void row(String name, List<List<String>> text, TeacherPerplexity teacher, List<List<String>> train) {
        double words = text.stream().mapToInt(List::size).average().orElse(0);
        System.out.printf(Locale.ROOT, "%-36s %10.2f %10.2f %10.3f %10.3f %10.3f %8.1f%n", name, teacher.literal(text),
                teacher.delexicalised(text),
                TextMetrics.distinctN(text, 1), TextMetrics.distinctN(text, 2), TextMetrics.copyRate(text, train), words);
    }

    /** The held-out split divided by meaning representation into teacher-training and reference text. */
    record HeldOut(List<List<String>> teacherText, List<List<String>> referenceText, int teacherMrs) {

        static HeldOut split(E2eCorpus test, Tokenizer tok) {
            Map<String, List<E2eExample>> byMr = new LinkedHashMap<>();
            for (E2eExample e : test.examples()) {
                byMr.computeIfAbsent(e.mr().toString(), k -> new ArrayList<>()).add(e);
            }
            List<List<String>> teacher = new ArrayList<>();
            List<List<String>> reference = new ArrayList<>();
            int i = 0;
            for (List<E2eExample> group : byMr.values()) {
                List<List<String>> target = i++ % 2 == 0 ? teacher : reference;
                group.forEach(e -> target.add(tok.tokenize(e.text())));
            }
            return new HeldOut(teacher, reference, (byMr.size() + 1) / 2);
        }
    }
}
