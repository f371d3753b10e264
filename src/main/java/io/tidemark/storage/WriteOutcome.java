package io.tidemark.storage;

import java.util.List;

/**
 * What storage did with a {@link SampleBatch}: samples committed (including ones an earlier attempt
 * already stored) and series refused because their id belongs to a different series already stored.
 */
public record WriteOutcome(long stored, List<Collision> collisions) {

    public record Collision(int sourceIndex, SeriesKey series, int samples) {
    }
}
