package io.tidemark.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.alerting.eval.AlertSample;
import io.tidemark.alerting.rules.RuleForm;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.state.ActiveAlert;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.RuleStateMachine;
import io.tidemark.alerting.state.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state machine step by step, with the time passed in: for, keep_firing_for, resolution, retention. */
class RuleStateMachineTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 30_000;

    private static RuleSpec rule(long forMs, long keepFiringMs) {
        return new RuleSpec("HighCPU", null, "cpu > 90", forMs, keepFiringMs, Map.of("severity", "page"),
                Map.of("summary", "CPU on {{ $labels.host }} is {{ $value }}%"), RuleForm.PROMQL, List.of());
    }

    private static AlertSample cpu(String host, double v) {
        return new AlertSample(Map.of("__name__", "cpu", "host", host), v);
    }

    /** Runs evaluations at T0, T0+STEP, ... with the given samples per step; returns states and transitions. */
    private static final class Run {
        final RuleSpec rule;
        Map<String, ActiveAlert> alerts = Map.of();
        final List<Transition> transitions = new ArrayList<>();
        long now = T0 - STEP;

        Run(RuleSpec rule) {
            this.rule = rule;
        }

        Run step(AlertSample... samples) {
            now += STEP;
            RuleStateMachine.Evaluation e = RuleStateMachine.evaluate(rule, alerts, List.of(samples), now);
            alerts = e.alerts();
            transitions.addAll(e.transitions());
            return this;
        }

        AlertState state() {
            return alerts.isEmpty() ? AlertState.INACTIVE : alerts.values().iterator().next().state();
        }

        ActiveAlert only() {
            assertEquals(1, alerts.size(), alerts.toString());
            return alerts.values().iterator().next();
        }
    }

    @Test
    void pendingThenFiringAfterForThenResolved() {
        Run run = new Run(rule(60_000, 0));
        run.step(cpu("a", 95));
        assertEquals(AlertState.PENDING, run.state());
        run.step(cpu("a", 96));
        assertEquals(AlertState.PENDING, run.state(), "30 s of 60 s");
        run.step(cpu("a", 97));
        assertEquals(AlertState.FIRING, run.state(), "60 s: for has elapsed");
        ActiveAlert firing = run.only();
        assertEquals(T0, firing.activeAtMs());
        assertEquals(T0 + 2 * STEP, firing.firedAtMs());
        assertEquals(97, firing.value());
        assertEquals("CPU on a is 97%", firing.annotations().get("summary"));
        assertEquals(Map.of("alertname", "HighCPU", "host", "a", "severity", "page"), firing.labels());
        run.step();
        assertEquals(AlertState.RESOLVED, run.state());
        assertEquals(T0 + 3 * STEP, run.only().resolvedAtMs());
        assertEquals(List.of(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED),
                run.transitions.stream().map(Transition::to).toList());
    }

    @Test
    void pendingThatDisappearsIsDroppedWithoutFiring() {
        Run run = new Run(rule(120_000, 0));
        run.step(cpu("a", 95)).step(cpu("a", 95)).step();
        assertTrue(run.alerts.isEmpty());
        assertEquals(List.of(AlertState.PENDING, AlertState.INACTIVE),
                run.transitions.stream().map(Transition::to).toList());
    }

    @Test
    void forZeroFiresOnTheFirstEvaluation() {
        Run run = new Run(rule(0, 0));
        run.step(cpu("a", 95));
        assertEquals(AlertState.FIRING, run.state());
        assertEquals(T0, run.only().firedAtMs());
    }

    @Test
    void keepFiringForHoldsTheAlertThenResolves() {
        Run run = new Run(rule(0, 60_000));
        run.step(cpu("a", 95));
        run.step();
        assertEquals(AlertState.FIRING, run.state(), "0 s after the condition stopped");
        assertEquals(T0 + STEP, run.only().keepFiringSinceMs());
        run.step();
        assertEquals(AlertState.FIRING, run.state(), "30 s of 60 s");
        run.step();
        assertEquals(AlertState.RESOLVED, run.state(), "60 s: keep_firing_for has elapsed");
    }

    @Test
    void conditionBackDuringKeepFiringForResetsIt() {
        Run run = new Run(rule(0, 60_000));
        run.step(cpu("a", 95)).step().step(cpu("a", 99));
        assertEquals(0, run.only().keepFiringSinceMs());
        run.step().step();
        assertEquals(AlertState.FIRING, run.state(), "the 60 s count started again");
        run.step();
        assertEquals(AlertState.RESOLVED, run.state());
    }

    @Test
    void resolvedAlertComingBackStartsPendingAgainAndResolvedOnesExpire() {
        Run run = new Run(rule(STEP, 0));
        run.step(cpu("a", 95)).step(cpu("a", 95)).step();
        assertEquals(AlertState.RESOLVED, run.state());
        run.step(cpu("a", 95));
        assertEquals(AlertState.PENDING, run.state());
        assertEquals(run.now, run.only().activeAtMs(), "a new activation");
        run.step();
        assertTrue(run.alerts.isEmpty(), "pending dropped");

        Run expiring = new Run(rule(0, 0));
        expiring.step(cpu("a", 95)).step();
        for (int i = 0; i < RuleStateMachine.RESOLVED_RETENTION_MS / STEP; i++) {
            expiring.step();
        }
        assertEquals(AlertState.RESOLVED, expiring.state(), "kept for 15 minutes");
        expiring.step();
        assertTrue(expiring.alerts.isEmpty(), "gone after 15 minutes");
    }

    @Test
    void eachLabelSetIsItsOwnAlert() {
        Run run = new Run(rule(0, 0));
        run.step(cpu("a", 95), cpu("b", 91));
        assertEquals(2, run.alerts.size());
        run.step(cpu("b", 92));
        assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                run.alerts.values().stream().map(ActiveAlert::state).sorted().toList());
    }

    @Test
    void samplesEqualAfterRuleLabelsAreRefused() {
        RuleSpec rule = new RuleSpec("X", null, "up", 0, 0, Map.of("host", "same"), Map.of(), RuleForm.PROMQL,
                List.of());
        assertThrows(RuleStateMachine.DuplicateLabelSetException.class, () -> RuleStateMachine.evaluate(rule, Map.of(),
                List.of(cpu("a", 1), cpu("b", 2)), T0));
        assertFalse(RuleStateMachine.evaluate(rule, Map.of(), List.of(cpu("a", 1)), T0).alerts().isEmpty());
    }
}
