package io.tidemark.alerting;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.eval.AlertSample;
import io.tidemark.alerting.eval.EngineRuleQuerier;
import io.tidemark.alerting.eval.RuleQuerier;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' {@link RuleQuerier} (selected over {@link EngineRuleQuerier} in every @QuarkusTest): answers an
 * expression with what the test set, or fails it, and passes every other expression to the real PromQL engine over
 * the stored samples. Records the calls.
 */
@Alternative
@Priority(1)
@Singleton
public class ScriptedRuleQuerier implements RuleQuerier {

    private final EngineRuleQuerier engine;

    public ScriptedRuleQuerier(EngineRuleQuerier engine) {
        this.engine = engine;
    }

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
        List<AlertSample> scripted = answers.get(promql);
        return scripted != null ? Uni.createFrom().item(scripted) : engine.instant(tenant, promql, t);
    }

    public static AlertSample sample(double value, String... labelPairs) {
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return new AlertSample(labels, value);
    }
}
