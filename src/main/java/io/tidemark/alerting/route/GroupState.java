package io.tidemark.alerting.route;

import java.util.Set;

/** What a notification group last told its receiver, and when it was first seen (group_wait counts from there). */
public record GroupState(String groupKey, String receiver, long firstSeenMs, long lastNotifiedMs,
        Set<String> notifiedFiring, Set<String> notifiedResolved) {

    public GroupState {
        notifiedFiring = Set.copyOf(notifiedFiring);
        notifiedResolved = Set.copyOf(notifiedResolved);
    }
}
