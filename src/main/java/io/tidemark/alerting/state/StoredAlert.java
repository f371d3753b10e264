package io.tidemark.alerting.state;

import java.util.List;

/** An alert with where it belongs: tenant, rule group, rule, and the receivers its rule names. */
public record StoredAlert(String tenant, String ruleGroup, String rule, ActiveAlert alert, List<String> channels) {
}
