package org.diffusion4j.text.data;

/**
 * A sentence encoded to the model length: {@code [START, w1..wn, END, PAD...]}.
 *
 * @param ids          token ids, length = the model's sequence length
 * @param wordCount    n, the words between START and END
 * @param unknownCount how many of those words were out of vocabulary and became UNK
 */
public record EncodedSequence(long[] ids, int wordCount, int unknownCount) {

    public EncodedSequence {
        ids = ids.clone();
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    public int length() {
        return ids.length;
    }
}
