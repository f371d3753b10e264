package io.tidemark.alerting.state;

/** Where an alert is: pending (condition true, for not yet elapsed), firing, resolved (kept 15 minutes), inactive. */
public enum AlertState {
    INACTIVE, PENDING, FIRING, RESOLVED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static AlertState parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
