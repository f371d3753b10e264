package io.tidemark.promql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An instant vector selector: {@code http_requests_total{job="api"} offset 5m @ 1609746000}.
 *
 * <p>As in Prometheus, {@link #matchers()} holds every matcher the series must satisfy: when the metric name is
 * written before the braces ({@link #name()} non-empty) a {@code __name__="name"} matcher is appended to the ones
 * in braces. {@link #name()} is "" when the selector has no name before the braces ({@code {__name__="x"}} and the
 * quoted form {@code {"x"}} keep it ""). Equality treats the matchers as a set, since their order does not matter.
 *
 * @param offsetMillis the {@code offset} (negative for {@code offset -5m}), 0 if none
 * @param at           the {@code @} modifier, or null
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, AtModifier at)
        implements Expr {

    public VectorSelector {
        Objects.requireNonNull(name, "name");
        matchers = List.copyOf(matchers);
    }

    /** A selector by metric name only: {@code name}. */
    public static VectorSelector of(String name, LabelMatcher... inBraces) {
        List<LabelMatcher> ms = new ArrayList<>(List.of(inBraces));
        if (!name.isEmpty()) {
            ms.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
        }
        return new VectorSelector(name, ms, 0, null);
    }

    public VectorSelector withOffset(long offsetMillis) {
        return new VectorSelector(name, matchers, offsetMillis, at);
    }

    public VectorSelector withAt(AtModifier at) {
        return new VectorSelector(name, matchers, offsetMillis, at);
    }

    @Override
    public ValueType type() {
        return ValueType.INSTANT_VECTOR;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorSelector v && name.equals(v.name) && offsetMillis == v.offsetMillis
                && Objects.equals(at, v.at) && sorted(matchers).equals(sorted(v.matchers));
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (LabelMatcher m : matchers) {
            h += m.hashCode();
        }
        return Objects.hash(name, offsetMillis, at, h);
    }

    private static List<LabelMatcher> sorted(List<LabelMatcher> ms) {
        List<LabelMatcher> copy = new ArrayList<>(ms);
        copy.sort(Comparator.comparing(LabelMatcher::name).thenComparing(LabelMatcher::type)
                .thenComparing(LabelMatcher::value));
        return copy;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
