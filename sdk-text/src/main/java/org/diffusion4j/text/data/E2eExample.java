package org.diffusion4j.text.data;

import java.util.Objects;

/** One E2E line: a meaning representation and a tokenized English description of it. */
public record E2eExample(MeaningRepresentation mr, String text) {

    public E2eExample {
        Objects.requireNonNull(mr, "mr");
        Objects.requireNonNull(text, "text");
    }

    /** Parses a {@code MR||text} line. */
    public static E2eExample parse(String line) {
        Objects.requireNonNull(line, "line");
        int sep = line.indexOf("||");
        if (sep < 0) {
            throw new IllegalArgumentException("line: expected 'MR||text', got no '||' in '" + line + "'");
        }
        String text = line.substring(sep + 2).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("line: empty text after '||' in '" + line + "'");
        }
        return new E2eExample(MeaningRepresentation.parse(line.substring(0, sep)), text);
    }
}
