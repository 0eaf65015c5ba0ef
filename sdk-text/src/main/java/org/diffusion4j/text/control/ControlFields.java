package org.diffusion4j.text.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.E2eExample;
import org.diffusion4j.text.data.MeaningRepresentation;

/**
 * The meaning-representation fields and values a semantic-content classifier can target, collected from
 * the training data (e.g. {@code food} → [Chinese, English, Fast food, French, Indian, Italian, Japanese]).
 * Values are sorted, so a value's class index is stable for a given corpus.
 */
public final class ControlFields {

    private final Map<String, List<String>> values;

    private ControlFields(Map<String, List<String>> values) {
        this.values = values;
    }

    public static ControlFields from(E2eCorpus corpus) {
        Objects.requireNonNull(corpus, "corpus");
        Map<String, TreeSet<String>> collect = new TreeMap<>();
        for (E2eExample e : corpus.examples()) {
            e.mr().fields().forEach((f, v) -> collect.computeIfAbsent(f, k -> new TreeSet<>()).add(v));
        }
        Map<String, List<String>> out = new TreeMap<>();
        collect.forEach((f, v) -> out.put(f, List.copyOf(v)));
        return new ControlFields(Collections.unmodifiableMap(out));
    }

    /** Field names, sorted. */
    public List<String> fields() {
        return List.copyOf(values.keySet());
    }

    /** The known values of {@code field} (its classes, in index order). */
    public List<String> values(String field) {
        List<String> v = values.get(Objects.requireNonNull(field, "field"));
        if (v == null) {
            throw new IllegalArgumentException("field: unknown control field '" + field + "'; known fields: " + fields());
        }
        return v;
    }

    /** The class index of {@code value} within {@code field}. */
    public int classIndex(String field, String value) {
        List<String> known = values(field);
        int i = known.indexOf(Objects.requireNonNull(value, "value"));
        if (i < 0) {
            throw new IllegalArgumentException("value: unknown value '" + value + "' for field '" + field + "'; known values: " + known);
        }
        return i;
    }

    /** The class index of the MR's value for {@code field}, empty when the MR does not mention the field. */
    public OptionalInt label(String field, MeaningRepresentation mr) {
        values(field);
        return mr.get(field).map(v -> OptionalInt.of(classIndex(field, v))).orElse(OptionalInt.empty());
    }

    /** (example index, class) pairs of the examples that mention {@code field}: classifier training data. */
    public List<int[]> labelled(String field, E2eCorpus corpus) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            OptionalInt c = label(field, corpus.examples().get(i).mr());
            if (c.isPresent()) {
                out.add(new int[] {i, c.getAsInt()});
            }
        }
        return out;
    }
}
