package io.tidemark.alerting.rules;

/** How a rule was written: a Prometheus rule-file entry, or one of the forms compiled to PromQL. */
public enum RuleForm {
    PROMQL, THRESHOLD, ANOMALY
}
