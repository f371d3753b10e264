package io.tidemark.tenant;

/** Tenant ids: every series belongs to one. Until authentication arrives, clients name theirs. */
public final class Tenants {

    public static final String DEFAULT = "default";
    /** Request header (HTTP) and metadata key (gRPC) carrying the tenant id. */
    public static final String HEADER = "x-tidemark-tenant";

    private Tenants() {
    }

    /** The tenant for a request: {@link #DEFAULT} when absent; an invalid id is refused with the reason. */
    public static String resolve(String requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT;
        }
        if (requested.length() > 64) {
            throw new IllegalArgumentException(HEADER + " is " + requested.length() + " characters, over the limit of 64");
        }
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || c == '.')) {
                throw new IllegalArgumentException(
                        HEADER + " \"" + requested + "\" must match [a-zA-Z0-9_.-]{1,64}");
            }
        }
        return requested;
    }
}
