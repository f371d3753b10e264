package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.List;

/** One group of host metrics, collected on its own interval. */
public interface Collector {

    /** Short name used in logs and in {@code tidemark_agent_samples_collected_total{source}}. */
    String name();

    List<Point> collect(long nowMs) throws IOException;
}
