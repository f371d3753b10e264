package io.tidemark.promql;

import java.util.List;
import java.util.Objects;

/**
 * How the elements of two instant vectors are matched in a binary operation.
 *
 * @param card           one-to-one by default; many-to-one for {@code group_left}, one-to-many for
 *                       {@code group_right}; many-to-many for the set operators {@code and or unless}
 * @param matchingLabels the labels of {@code on(...)} / {@code ignoring(...)}
 * @param on             true for {@code on(...)}: match on these labels only; false: ignore these labels
 * @param include        the labels of {@code group_left(...)} / {@code group_right(...)} to copy from the "one"
 *                       side
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {

    public VectorMatching {
        Objects.requireNonNull(card, "card");
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    /** The matching of a vector-vector operation without modifiers. */
    public static VectorMatching oneToOne() {
        return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
}
