package io.tidemark.promql;

/** The type an expression evaluates to. */
public enum ValueType {
    SCALAR("scalar", "scalar"),
    INSTANT_VECTOR("vector", "instant vector"),
    RANGE_VECTOR("matrix", "range vector"),
    STRING("string", "string");

    private final String internalName;
    private final String documentedName;

    ValueType(String internalName, String documentedName) {
        this.internalName = internalName;
        this.documentedName = documentedName;
    }

    /** Prometheus' internal name ({@code vector}, {@code matrix}, ...), as used in a few error messages. */
    public String internalName() {
        return internalName;
    }

    /** The user-facing name ({@code instant vector}, {@code range vector}, ...). */
    public String documentedName() {
        return documentedName;
    }
}
