package org.diffusion4j.text.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes tokenised sentences to Diffusion-LM's fixed-length "pad" layout {@code [START, w..., END,
 * PAD...]} and decodes model output back to words. A sentence that does not fit is an error, never cut.
 */
public final class SequenceEncoder {

    private final Vocabulary vocabulary;
    private final int length;

    public SequenceEncoder(Vocabulary vocabulary, int length) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        if (length < 2) {
            throw new IllegalArgumentException("length: expected >= 2 (START and END), got " + length);
        }
        this.length = length;
    }

    public int length() {
        return length;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The most words a sentence may have at this length (two positions go to START and END). */
    public int maxWords() {
        return length - 2;
    }

    public EncodedSequence encode(List<String> words) {
        Objects.requireNonNull(words, "words");
        if (words.size() > maxWords()) {
            throw new IllegalArgumentException("words: a sequence of model length " + length + " holds at most "
                    + maxWords() + " words plus START/END, got " + words.size() + " words");
        }
        long[] ids = new long[length];
        java.util.Arrays.fill(ids, Vocabulary.PAD);
        ids[0] = Vocabulary.START;
        int unknown = 0;
        for (int i = 0; i < words.size(); i++) {
            int id = vocabulary.idOrUnk(words.get(i));
            if (id == Vocabulary.UNK && !Vocabulary.SPECIAL_TOKENS.get(Vocabulary.UNK).equals(words.get(i))) {
                unknown++;
            }
            ids[i + 1] = id;
        }
        ids[words.size() + 1] = Vocabulary.END;
        return new EncodedSequence(ids, words.size(), unknown);
    }

    /**
     * The words of a generated sequence: tokens after an optional leading START up to the first END (or the
     * end), with PAD and any stray START dropped; UNK is kept as its token string.
     */
    public List<String> decode(long[] ids) {
        Objects.requireNonNull(ids, "ids");
        List<String> out = new ArrayList<>();
        for (long raw : ids) {
            if (raw < 0 || raw >= vocabulary.size()) {
                throw new IllegalArgumentException("ids: expected values in 0.." + (vocabulary.size() - 1) + ", got " + raw);
            }
            int id = (int) raw;
            if (id == Vocabulary.END) {
                break;
            }
            if (id != Vocabulary.START && id != Vocabulary.PAD) {
                out.add(vocabulary.token(id));
            }
        }
        return out;
    }
}
