package io.tidemark.agent.config;

/** An invalid agent configuration: {@link #key()} names the offending YAML key, e.g. {@code buffering.max_size}. */
public final class ConfigException extends Exception {

    private final String key;

    public ConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
