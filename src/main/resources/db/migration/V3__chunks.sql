-- Compressed chunks: one row per series and closed 2-hour block, its samples encoded by storage.chunk.ChunkCodec
-- (delta-of-delta timestamps; Gorilla XOR or decimal-scaled values, whichever is smaller). Written by the
-- compactor (storage.chunk.ChunkCompactor), which deletes the block's head rows in the same transaction.
CREATE TABLE chunks (
    series_id   bigint NOT NULL,
    block_start bigint NOT NULL,
    count       integer NOT NULL,
    min_ts      bigint NOT NULL,
    max_ts      bigint NOT NULL,
    data        bytea  NOT NULL,
    PRIMARY KEY (series_id, block_start)
) PARTITION BY RANGE (block_start);
