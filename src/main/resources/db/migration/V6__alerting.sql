-- Alerting (docs/alerting.md): rule groups, alert states, history, routing config, silences,
-- acknowledgements, notification groups, the outbox and the evaluator lease.

CREATE TABLE alert_rule_groups (
    tenant      text NOT NULL,
    name        text NOT NULL,
    interval_ms bigint NOT NULL,
    -- the group as stored: {"rules": [...]} (io.tidemark.alerting.rules.RuleGroupJson)
    definition  jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

-- One row per alert (rule x label set) that is pending, firing or recently resolved.
CREATE TABLE alert_instances (
    tenant            text NOT NULL,
    rule_group        text NOT NULL,
    rule_name         text NOT NULL,
    fingerprint       text NOT NULL,
    labels            jsonb NOT NULL,
    annotations       jsonb NOT NULL,
    state             text NOT NULL,
    value             float8 NOT NULL,
    active_at_ms      bigint NOT NULL,
    fired_at_ms       bigint NOT NULL DEFAULT 0,
    resolved_at_ms    bigint NOT NULL DEFAULT 0,
    last_seen_ms      bigint NOT NULL,
    keep_firing_since_ms bigint NOT NULL DEFAULT 0,
    channels          jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant, rule_group, rule_name, fingerprint)
);

CREATE TABLE alert_history (
    id          bigserial PRIMARY KEY,
    tenant      text NOT NULL,
    rule_group  text NOT NULL,
    rule_name   text NOT NULL,
    fingerprint text NOT NULL,
    labels      jsonb NOT NULL,
    state       text NOT NULL,
    value       float8 NOT NULL,
    at_ms       bigint NOT NULL
);
CREATE INDEX alert_history_by_rule ON alert_history (tenant, rule_name, at_ms);
CREATE INDEX alert_history_by_time ON alert_history (tenant, at_ms);

-- Group timestamps of a rule group's last evaluation, so a new lease holder keeps the cadence.
CREATE TABLE alert_group_evaluations (
    tenant         text NOT NULL,
    rule_group     text NOT NULL,
    last_eval_ms   bigint NOT NULL,
    -- seconds the last evaluation took, and per rule: health, last error, evaluation time (for /api/v1/rules)
    duration_s     float8 NOT NULL DEFAULT 0,
    health         jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant, rule_group)
);

CREATE TABLE alert_routing_configs (
    tenant     text PRIMARY KEY,
    yaml       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_silences (
    id          uuid PRIMARY KEY,
    tenant      text NOT NULL,
    matchers    jsonb NOT NULL,
    starts_at_ms bigint NOT NULL,
    ends_at_ms  bigint NOT NULL,
    created_by  text NOT NULL,
    comment     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_silences_by_tenant ON alert_silences (tenant, ends_at_ms);

-- An acknowledgement holds for one activation of an alert (its active_at_ms).
CREATE TABLE alert_acks (
    tenant       text NOT NULL,
    fingerprint  text NOT NULL,
    active_at_ms bigint NOT NULL,
    acked_by     text NOT NULL,
    acked_at_ms  bigint NOT NULL,
    comment      text NOT NULL,
    PRIMARY KEY (tenant, fingerprint, active_at_ms)
);

-- What each notification group (receiver x group labels) last told its receiver.
CREATE TABLE alert_notification_groups (
    tenant            text NOT NULL,
    group_key         text NOT NULL,
    receiver          text NOT NULL,
    first_seen_ms     bigint NOT NULL,
    last_notified_ms  bigint NOT NULL DEFAULT 0,
    notified_firing   jsonb NOT NULL DEFAULT '[]',
    notified_resolved jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant, group_key)
);

-- Decided notifications, written in the transaction that decided them; delivered at least once.
CREATE TABLE alert_outbox (
    id              bigserial PRIMARY KEY,
    tenant          text NOT NULL,
    receiver        text NOT NULL,
    channel         text NOT NULL,
    -- where and how to send (url, smtp settings, ...) and what: the rendered request
    target          jsonb NOT NULL,
    payload         jsonb NOT NULL,
    created_ms      bigint NOT NULL,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_ms bigint NOT NULL,
    claimed_until_ms bigint NOT NULL DEFAULT 0,
    delivered_ms    bigint,
    last_error      text
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_ms) WHERE delivered_ms IS NULL;

-- Single-holder leases (the rule evaluator): a row with an expiry, renewed by its holder.
CREATE TABLE alert_leases (
    name       text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);
