-- Series index: one row per (tenant, metric name, label set). The id is a 64-bit hash
-- computed by the service (storage.SeriesKey); a collision is detected at insert time.
CREATE TABLE series (
    id          bigint      PRIMARY KEY,
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    labels      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_tenant_name_idx ON series (tenant, name);
CREATE INDEX series_labels_idx ON series USING gin (labels jsonb_path_ops);

-- Optional metric metadata (type, unit, help), last writer wins.
CREATE TABLE metric_metadata (
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    type        text        NOT NULL,
    unit        text        NOT NULL,
    help        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

-- The head: one row per sample, partitioned by day on ts (milliseconds since the epoch).
-- Partitions are created ahead by the service (storage.PartitionMaintainer).
-- The primary key makes a retried batch idempotent (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE samples (
    series_id   bigint           NOT NULL,
    ts          bigint           NOT NULL,
    value       double precision NOT NULL,
    PRIMARY KEY (series_id, ts)
) PARTITION BY RANGE (ts);
