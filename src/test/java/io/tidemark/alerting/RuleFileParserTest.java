package io.tidemark.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.alerting.rules.AlertTemplate;
import io.tidemark.alerting.rules.AnomalyForm;
import io.tidemark.alerting.rules.RuleFileParser;
import io.tidemark.alerting.rules.RuleForm;
import io.tidemark.alerting.rules.RuleForms;
import io.tidemark.alerting.rules.RuleGroup;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.rules.RuleValidationException;
import io.tidemark.alerting.rules.ThresholdForm;
import io.tidemark.promql.PromQLParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus rule files as written, their validation errors (line, field), and the forms compiled to PromQL. */
class RuleFileParserTest {

    static final String FILE = """
            groups:
              - name: hosts
                interval: 15s
                rules:
                  - alert: HighCPUUsage
                    expr: avg by (host) (cpu_usage_percent{service="api"}) > 90
                    for: 5m
                    keep_firing_for: 2m
                    labels:
                      severity: critical
                      team: platform
                    annotations:
                      summary: "High CPU usage on {{ $labels.host }}"
                      description: "CPU usage is {{ $value }}% on {{ $labels.host }}"
                  - record: job:http_requests:rate5m
                    expr: sum by (job) (rate(http_requests_total[5m]))
              - name: defaults
                rules:
                  - alert: Down
                    expr: |
                      up == 0
            """;

    @Test
    void readsGroupsAndRulesUnchanged() {
        List<RuleGroup> groups = RuleFileParser.parse(FILE, 60_000);
        assertEquals(2, groups.size());
        RuleGroup hosts = groups.get(0);
        assertEquals("hosts", hosts.name());
        assertEquals(15_000, hosts.intervalMs());
        RuleSpec cpu = hosts.rules().get(0);
        assertEquals("HighCPUUsage", cpu.alert());
        assertEquals("avg by (host) (cpu_usage_percent{service=\"api\"}) > 90", cpu.expr());
        assertEquals(300_000, cpu.forMs());
        assertEquals(120_000, cpu.keepFiringForMs());
        assertEquals(Map.of("severity", "critical", "team", "platform"), cpu.labels());
        assertEquals("High CPU usage on {{ $labels.host }}", cpu.annotations().get("summary"));
        RuleSpec record = hosts.rules().get(1);
        assertEquals("job:http_requests:rate5m", record.record());
        assertEquals(RuleForm.PROMQL, record.form());
        assertEquals(60_000, groups.get(1).intervalMs(), "default interval");
        assertEquals("up == 0", groups.get(1).rules().get(0).expr());
    }

    private static RuleValidationException error(String yaml) {
        return assertThrows(RuleValidationException.class, () -> RuleFileParser.parse(yaml, 60_000));
    }

    @Test
    void badExpressionNamesLineFieldAndPosition() {
        RuleValidationException e = error(FILE.replace("> 90", "> > 90"));
        assertEquals(6, e.line());
        assertEquals("groups[0].rules[0].expr", e.field());
        assertTrue(e.reason().startsWith("1:"), e.reason());
        assertTrue(e.reason().contains("parse error"), e.reason());
        assertTrue(e.getMessage().startsWith("line 6: groups[0].rules[0].expr: "), e.getMessage());
    }

    @Test
    void otherErrorsNameTheirFields() {
        RuleValidationException badFor = error(FILE.replace("for: 5m", "for: 5 minutes"));
        assertEquals(7, badFor.line());
        assertEquals("groups[0].rules[0].for", badFor.field());
        assertEquals("not a valid duration string: \"5 minutes\"", badFor.reason());

        RuleValidationException unknown = error(FILE.replace("    keep_firing_for: 2m", "    keep_firing: 2m"));
        assertEquals("groups[0].rules[0].keep_firing", unknown.field());
        assertEquals(8, unknown.line());

        RuleValidationException both = error(FILE.replace("  - record: job", "  - alert: X\n        record: job"));
        assertEquals("groups[0].rules[1]", both.field());
        assertEquals("only one of 'record' and 'alert' may be set", both.reason());

        RuleValidationException template = error(FILE.replace("{{ $value }}%", "{{ $value %"));
        assertEquals("groups[0].rules[0].annotations.description", template.field());
        assertEquals(14, template.line());

        RuleValidationException recordFor = error(FILE.replace("expr: sum by (job)",
                "for: 1m\n        expr: sum by (job)"));
        assertEquals("invalid field 'for' in recording rule", recordFor.reason());

        RuleValidationException duplicate = error(FILE.replace("name: defaults", "name: hosts"));
        assertEquals("groups[1].name", duplicate.field());

        RuleValidationException yaml = error("groups:\n  - name: [unclosed\n");
        assertEquals("yaml", yaml.field());
        assertTrue(yaml.line() > 0);

        RuleValidationException noExpr = error("groups:\n  - name: g\n    rules:\n      - alert: A\n");
        assertEquals("groups[0].rules[0].expr", noExpr.field());
        assertEquals(4, noExpr.line());
    }

    @Test
    void thresholdFormOfSeed003CompilesToPromQL() {
        RuleSpec rule = RuleForms.compile(new ThresholdForm("High API Latency", "http.request.latency", "p99",
                Map.of("service", "api-gateway"), "above", 500.0, "5m", List.of("slack:#oncall", "pagerduty:team-infra"),
                null, null, null, null));
        // the printer's canonical form (Prometheus 2.42) spells a dotted name as a __name__ matcher
        assertEquals("max(quantile_over_time(0.99, {__name__=\"http.request.latency\",service=\"api-gateway\"}[1m])) > 500",
                rule.expr());
        assertEquals(300_000, rule.forMs());
        assertEquals(RuleForm.THRESHOLD, rule.form());
        assertEquals(List.of("slack:#oncall", "pagerduty:team-infra"), rule.channels());
        PromQLParser.parse(rule.expr());

        RuleSpec below = RuleForms.compile(new ThresholdForm("LowDisk", "disk_free", "avg", Map.of(), "below", 10.0,
                null, null, "5m", List.of("host"), null, null));
        assertEquals("avg by (host) (avg_over_time(disk_free[5m])) < 10", below.expr());
        assertEquals(0, below.forMs());
    }

    @Test
    void thresholdFormErrorsNameTheField() {
        RuleValidationException e = assertThrows(RuleValidationException.class, () -> RuleForms.compile(
                new ThresholdForm("A", "m", "p99", Map.of(), "sideways", 1.0, null, null, null, null, null, null)));
        assertEquals("condition", e.field());
        e = assertThrows(RuleValidationException.class, () -> RuleForms.compile(
                new ThresholdForm("A", "m", "median", Map.of(), "above", 1.0, null, null, null, null, null, null)));
        assertEquals("aggregation", e.field());
        e = assertThrows(RuleValidationException.class, () -> RuleForms.compile(
                new ThresholdForm("A", "m", "avg", Map.of("bad-name", "x"), "above", 1.0, null, null, null, null, null,
                        null)));
        assertEquals("tags.bad-name", e.field());
        e = assertThrows(RuleValidationException.class, () -> RuleForms.compile(
                new ThresholdForm("A", "m", "avg", Map.of(), "above", 1.0, "soon", null, null, null, null, null)));
        assertEquals("duration", e.field());
        e = assertThrows(RuleValidationException.class, () -> RuleForms.compile(
                new ThresholdForm("A", "m", "avg", Map.of(), "above", null, null, null, null, null, null, null)));
        assertEquals("threshold", e.field());
    }

    @Test
    void anomalyFormCompilesToABandAroundTheBaseline() {
        RuleSpec perSeries = RuleForms.compile(new AnomalyForm("CPUAnomaly", "cpu.usage.percent", null,
                Map.of("service", "api"), "above", 2.0, "1h", "5m", List.of(), null, null, null));
        String sel = "{__name__=\"cpu.usage.percent\",service=\"api\"}";
        assertEquals(sel + " > avg_over_time(" + sel + "[1h]) + 2 * stddev_over_time(" + sel + "[1h])",
                perSeries.expr());
        assertEquals(RuleForm.ANOMALY, perSeries.form());

        RuleSpec grouped = RuleForms.compile(new AnomalyForm("LatencyAnomaly", "latency", "avg", Map.of(), null, null,
                null, null, List.of(), List.of("region"), null, null));
        String cur = "avg by (region) (latency)";
        String win = "(" + cur + ")[1h:1m]";
        assertEquals("(" + cur + " > avg_over_time(" + win + ") + 3 * stddev_over_time(" + win + ")) or (" + cur
                + " < avg_over_time(" + win + ") - 3 * stddev_over_time(" + win + "))", grouped.expr());
    }

    @Test
    void templatesExpandLikePrometheus() {
        Map<String, String> labels = Map.of("host", "web-01", "instance", "10.0.0.1:9100");
        assertEquals("CPU usage is 93.5% on web-01",
                AlertTemplate.parse("CPU usage is {{ $value }}% on {{ $labels.host }}").expandForAlert(labels, 93.5));
        assertEquals("1.235k", AlertTemplate.parse("{{ $value | humanize }}").expandForAlert(labels, 1234.6));
        assertEquals("1.235k", AlertTemplate.parse("{{ humanize $value }}").expandForAlert(labels, 1234.6));
        assertEquals("12.5m", AlertTemplate.parse("{{ humanize $value }}").expandForAlert(labels, 0.0125));
        assertEquals("93.50", AlertTemplate.parse("{{ printf \"%.2f\" $value }}").expandForAlert(labels, 93.5));
        assertEquals("WEB-01", AlertTemplate.parse("{{ .Labels.host | toUpper }}").expandForAlert(labels, 0));
        assertEquals("missing:", AlertTemplate.parse("missing:{{ $labels.nope }}").expandForAlert(labels, 0));
        assertEquals("a,b,", AlertTemplate.parse("{{ range .Items }}{{ . }},{{ end }}").expand(
                Map.of("Items", List.of("a", "b")), Map.of()));
        assertEquals("none", AlertTemplate.parse("{{ if .Items }}some{{ else }}none{{ end }}").expand(
                Map.of("Items", List.of()), Map.of()));
        assertThrows(AlertTemplate.TemplateException.class, () -> AlertTemplate.parse("{{ if .X }}open"));
        assertThrows(AlertTemplate.TemplateException.class, () -> AlertTemplate.parse("{{ nosuchfn $value }}"));
    }
}
