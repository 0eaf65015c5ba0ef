package org.diffusion4j.text.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The E2E restaurant descriptions shipped in this module (CC BY-SA 4.0, Novikova, Dušek and Rieser 2017;
 * see {@code org/diffusion4j/text/data/e2e/README.md}), or any file in the same {@code MR||text} format.
 */
public record E2eCorpus(List<E2eExample> examples) {

    /** The shipped splits. Diffusion-LM's E2E train split is not redistributed, so we train on valid. */
    public enum Split {
        /** {@code src1_valid.txt}, 4,672 lines: the training text. */
        TRAIN("src1_valid.txt", 4672),
        /** {@code src1_test.txt}, 4,693 lines: the held-out evaluation text. */
        TEST("src1_test.txt", 4693);

        private final String resource;
        private final int lines;

        Split(String resource, int lines) {
            this.resource = resource;
            this.lines = lines;
        }

        public String resource() {
            return resource;
        }

        /** The number of examples the shipped file holds (checked on load). */
        public int lines() {
            return lines;
        }
    }

    public E2eCorpus {
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
    }

    /** Loads a shipped split from the classpath. */
    public static E2eCorpus load(Split split) {
        Objects.requireNonNull(split, "split");
        String name = "e2e/" + split.resource();
        try (InputStream in = E2eCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the sdk-text jar");
            }
            E2eCorpus corpus = read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
            if (corpus.size() != split.lines()) {
                throw new IllegalStateException("resource " + name + ": expected " + split.lines() + " lines, got " + corpus.size());
            }
            return corpus;
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + name, e);
        }
    }

    /** Reads a user file in {@code MR||text} format; blank lines are skipped. */
    public static E2eCorpus read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static E2eCorpus read(Reader reader, String source) throws IOException {
        List<E2eExample> out = new ArrayList<>();
        BufferedReader br = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = br.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(E2eExample.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage(), e);
            }
        }
        return new E2eCorpus(out);
    }

    public int size() {
        return examples.size();
    }

    /** The descriptions only, in file order. */
    public List<String> texts() {
        return examples.stream().map(E2eExample::text).toList();
    }
}
