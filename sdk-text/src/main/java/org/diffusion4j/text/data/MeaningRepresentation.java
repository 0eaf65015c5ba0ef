package org.diffusion4j.text.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An E2E meaning representation: the ordered slot → value pairs a description expresses, e.g.
 * {@code name : Alimentum | area : city centre | family friendly : no}.
 *
 * <p>The shipped files use the {@code field : value | ...} form of the Diffusion-LM release; the original
 * E2E form {@code name[Alimentum], area[city centre]} is accepted too so that users can bring the
 * challenge's own CSV text.
 */
public record MeaningRepresentation(Map<String, String> fields) {

    public MeaningRepresentation {
        Objects.requireNonNull(fields, "fields");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Parses either {@code a : x | b : y} or {@code a[x], b[y]}. */
    public static MeaningRepresentation parse(String mr) {
        Objects.requireNonNull(mr, "mr");
        String s = mr.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("mr: expected at least one 'field : value' slot, got an empty string");
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean bracketForm = s.endsWith("]") && !s.contains(" : ");
        String[] slots = bracketForm ? s.split("\\]\\s*,\\s*") : s.split("\\|");
        for (String raw : slots) {
            String slot = raw.strip();
            String field;
            String value;
            if (bracketForm) {
                int open = slot.indexOf('[');
                if (open <= 0) {
                    throw new IllegalArgumentException("mr: expected slot 'field[value]', got '" + slot + "' in '" + mr + "'");
                }
                field = slot.substring(0, open).strip();
                value = slot.substring(open + 1).replaceAll("\\]$", "").strip();
            } else {
                int sep = slot.indexOf(" : ");
                if (sep <= 0) {
                    throw new IllegalArgumentException("mr: expected slot 'field : value', got '" + slot + "' in '" + mr + "'");
                }
                field = slot.substring(0, sep).strip();
                value = slot.substring(sep + 3).strip();
            }
            if (field.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException("mr: empty field or value in slot '" + slot + "' of '" + mr + "'");
            }
            if (out.putIfAbsent(field, value) != null) {
                throw new IllegalArgumentException("mr: field '" + field + "' appears twice in '" + mr + "'");
            }
        }
        return new MeaningRepresentation(out);
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " | ").append(k).append(" : ").append(v));
        return sb.toString();
    }
}
