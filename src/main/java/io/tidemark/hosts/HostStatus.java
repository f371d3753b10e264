package io.tidemark.hosts;

/** Where a host stands in the registry; {@link #label()} is the value stored in hosts.status. */
public enum HostStatus {
    ACTIVE("active"), INACTIVE("inactive"), DECOMMISSIONED("decommissioned");

    private final String label;

    HostStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static HostStatus fromLabel(String label) {
        for (HostStatus s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status \"" + label + "\" must be one of active, inactive, decommissioned");
    }
}
