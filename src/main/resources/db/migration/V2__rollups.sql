-- Rollups: per series and bucket of 1 minute, 1 hour and 1 day, everything the query service needs to answer
-- without raw samples: count, sum, min, max, last, the counter increase (resets handled) and a DDSketch (1 %)
-- for quantiles. 1m is computed from samples, 1h from 1m, 1d from 1h (storage.rollup.RollupJob).
-- Partitions (by bucket, milliseconds since the epoch) are created by the job as it goes.
CREATE TABLE rollups_1m (
    series_id   bigint           NOT NULL,
    bucket      bigint           NOT NULL,
    count       bigint           NOT NULL,
    sum         double precision NOT NULL,
    min         double precision NOT NULL,
    max         double precision NOT NULL,
    last        double precision NOT NULL,
    increase    double precision,
    sketch      bytea            NOT NULL,
    PRIMARY KEY (series_id, bucket)
) PARTITION BY RANGE (bucket);
CREATE TABLE rollups_1h (LIKE rollups_1m INCLUDING ALL) PARTITION BY RANGE (bucket);
CREATE TABLE rollups_1d (LIKE rollups_1m INCLUDING ALL) PARTITION BY RANGE (bucket);

-- Per tier: every bucket before done_until is rolled up (the planner reads the tier only below it).
CREATE TABLE rollup_progress (
    tier        text   PRIMARY KEY,
    done_until  bigint NOT NULL
);

-- Buckets to recompute because late samples (or a recomputed finer bucket) landed in them after they were rolled up.
CREATE TABLE rollup_dirty (
    tier        text   NOT NULL,
    bucket      bigint NOT NULL,
    PRIMARY KEY (tier, bucket)
);

-- Lets the rollup job read one time slice of samples without scanning the whole day.
CREATE INDEX samples_ts_brin ON samples USING brin (ts);
