package io.tidemark.alerting;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.eval.AlertSample;
import io.tidemark.alerting.eval.RuleQuerier;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' {@link RuleQuerier} (replaces the default bean in every @QuarkusTest): answers each expression with
 * what the test set, or fails it; records the calls. Until the PromQL engine is wired in, this is how the evaluator
 * loop is driven.
 */
@Singleton
public class ScriptedRuleQuerier implements RuleQuerier {

    public record Call(String tenant, String expr, Instant t) {
    }

    private final Map<String, List<AlertSample>> answers = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    public void answer(String expr, List<AlertSample> samples) {
        failures.remove(expr);
        answers.put(expr, List.copyOf(samples));
    }

    public void fail(String expr, String message) {
        failures.put(expr, message);
    }

    public void clear() {
        answers.clear();
        failures.clear();
        calls.clear();
    }

    @Override
    public Uni<List<AlertSample>> instant(String tenant, String promql, Instant t) {
        calls.add(new Call(tenant, promql, t));
        String failure = failures.get(promql);
        if (failure != null) {
            return Uni.createFrom().failure(new IllegalStateException(failure));
        }
        return Uni.createFrom().item(answers.getOrDefault(promql, List.of()));
    }

    public static AlertSample sample(double value, String... labelPairs) {
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return new AlertSample(labels, value);
    }
}
