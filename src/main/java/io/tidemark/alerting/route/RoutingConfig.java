package io.tidemark.alerting.route;

import java.util.List;
import java.util.Map;

/** A tenant's routing tree, receivers (by name) and inhibition rules. */
public record RoutingConfig(Route root, Map<String, List<ChannelConfig>> receivers, List<InhibitRule> inhibitRules) {

    /** No configuration: nothing routed except alerts naming their receivers (which then must exist). */
    public static final RoutingConfig EMPTY = new RoutingConfig(new Route("0", List.of(), "", null, false, 30_000,
            300_000, 4 * 3_600_000L, false, null, List.of()), Map.of(), List.of());
}
