package org.diffusion4j.text.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.text.data.SlotDelexicaliser;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.lm.KneserNeyLanguageModel;

/**
 * The text benchmark's two teacher perplexities, both from an order-n Kneser-Ney model trained on the same held-out
 * text: <em>literal</em> (the words as they are, over the model's vocabulary) and <em>delexicalised</em> (restaurant
 * names replaced by one placeholder in the teacher's text and in the scored text alike, over the model's vocabulary
 * plus the placeholder). The literal figure also measures whether a sentence names the held-out split's restaurants;
 * the delexicalised one compares fluency only (see {@link SlotDelexicaliser}).
 */
final class TeacherPerplexity {

    private final KneserNeyLanguageModel literal;
    private final KneserNeyLanguageModel delexicalised;
    private final SlotDelexicaliser names;

    TeacherPerplexity(Vocabulary vocabulary, List<List<String>> teacherText, int order, SlotDelexicaliser names) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        this.names = Objects.requireNonNull(names, "names");
        if (vocabulary.find(names.placeholder()).isPresent()) {
            throw new IllegalArgumentException("names: expected a placeholder outside the vocabulary, got '"
                    + names.placeholder() + "', which is one of its words");
        }
        this.literal = KneserNeyLanguageModel.train(vocabulary, teacherText, order);
        List<String> words = new ArrayList<>(vocabulary.tokens().subList(Vocabulary.SPECIAL_TOKENS.size(), vocabulary.size()));
        words.add(names.placeholder());
        this.delexicalised = KneserNeyLanguageModel.train(Vocabulary.of(words), names.applyAll(teacherText), order);
    }

    double literal(List<List<String>> text) {
        return literal.perplexity(text);
    }

    double delexicalised(List<List<String>> text) {
        return delexicalised.perplexity(names.applyAll(text));
    }
}
