package io.tidemark.hosts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks a heartbeat's fields against the hosts table's columns; every error names its field. */
public final class HeartbeatValidator {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    private static final Pattern HOSTNAME = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");
    static final int MAX_LABELS = 30;
    static final int MAX_LABEL_VALUE_BYTES = 2048;

    private HeartbeatValidator() {
    }

    public static UUID hostId(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidHostInputException(field, "is required (a UUID)");
        }
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new InvalidHostInputException(field, "\"" + text + "\" is not a UUID");
        }
    }

    public static Heartbeat validate(String hostId, String hostname, String ip, String agentVersion, long bufferDepth,
            Map<String, String> labels, long samplesDropped) {
        UUID id = hostId("host_id", hostId);
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new InvalidHostInputException("hostname", hostname.isEmpty() ? "is required"
                    : "\"" + abbreviate(hostname) + "\" must be 1-255 characters without spaces or control characters");
        }
        if (ip.length() > 45 || !ip.isEmpty() && !ip.matches("[0-9A-Fa-f:.]+")) {
            throw new InvalidHostInputException("ip_address", "\"" + abbreviate(ip)
                    + "\" is not an IPv4 or IPv6 address of at most 45 characters");
        }
        if (agentVersion.length() > 20) {
            throw new InvalidHostInputException("agent_version", "\"" + abbreviate(agentVersion)
                    + "\" is longer than 20 characters");
        }
        if (bufferDepth < 0) {
            throw new InvalidHostInputException("buffer_depth", bufferDepth + " is negative (over 2^63)");
        }
        if (samplesDropped < 0) {
            throw new InvalidHostInputException("samples_dropped", samplesDropped + " is negative (over 2^63)");
        }
        if (labels.size() > MAX_LABELS) {
            throw new InvalidHostInputException("labels", labels.size() + " labels, over the limit of " + MAX_LABELS);
        }
        Map<String, String> sorted = new TreeMap<>(labels);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!LABEL_NAME.matcher(e.getKey()).matches()) {
                throw new InvalidHostInputException("labels[" + e.getKey() + "]",
                        "label name must match [a-zA-Z_][a-zA-Z0-9_.]*");
            }
            if (e.getValue().getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_VALUE_BYTES) {
                throw new InvalidHostInputException("labels[" + e.getKey() + "]",
                        "value is over " + MAX_LABEL_VALUE_BYTES + " bytes");
            }
        }
        for (String column : new String[] { "environment", "datacenter" }) {
            String value = sorted.getOrDefault(column, "");
            if (value.length() > 50) {
                throw new InvalidHostInputException("labels[" + column + "]",
                        "\"" + abbreviate(value) + "\" is longer than 50 characters");
            }
        }
        return new Heartbeat(id, hostname, ip, agentVersion, bufferDepth, Map.copyOf(sorted), samplesDropped);
    }

    /** {@code name=value} of a listing filter. */
    public static Map.Entry<String, String> labelFilter(String field, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || !LABEL_NAME.matcher(text.substring(0, eq)).matches()) {
            throw new InvalidHostInputException(field, "\"" + abbreviate(text) + "\" must be name=value with a label "
                    + "name matching [a-zA-Z_][a-zA-Z0-9_.]*");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
