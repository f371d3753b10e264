package io.tidemark.alerting.rules;

import io.tidemark.promql.Durations;
import io.tidemark.promql.PromQLParseException;
import io.tidemark.promql.PromQLParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a Prometheus rule file unchanged ({@code groups: - name, interval, rules: - alert|record, expr, for,
 * keep_firing_for, labels, annotations}) and validates it like Prometheus' rulefmt: every error names the YAML line
 * and the field ({@code groups[0].rules[1].expr}), and PromQL errors carry the parser's own position.
 */
public final class RuleFileParser {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:.]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "rules");
    private static final Set<String> RULE_KEYS = Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels",
            "annotations");

    private RuleFileParser() {
    }

    /** The groups of the file; groups without an interval get {@code defaultIntervalMs}. */
    public static List<RuleGroup> parse(String yaml, long defaultIntervalMs) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new RuleValidationException(line, "yaml", e.getProblem());
        } catch (RuntimeException e) {
            throw new RuleValidationException(0, "yaml", e.getMessage());
        }
        if (root == null) {
            throw new RuleValidationException(1, "groups", "the file is empty");
        }
        MappingNode top = mapping(root, "file");
        Map<String, NodeTuple> fields = fields(top, "", Set.of("groups"));
        NodeTuple groupsTuple = fields.get("groups");
        if (groupsTuple == null) {
            throw new RuleValidationException(line(top), "groups", "missing");
        }
        SequenceNode groups = sequence(groupsTuple.getValueNode(), "groups");
        List<RuleGroup> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int g = 0; g < groups.getValue().size(); g++) {
            String path = "groups[" + g + "]";
            RuleGroup group = group(groups.getValue().get(g), path, defaultIntervalMs);
            if (!names.add(group.name())) {
                throw new RuleValidationException(line(groups.getValue().get(g)), path + ".name",
                        "group name \"" + group.name() + "\" is repeated in the file");
            }
            result.add(group);
        }
        return result;
    }

    private static RuleGroup group(Node node, String path, long defaultIntervalMs) {
        MappingNode map = mapping(node, path);
        Map<String, NodeTuple> f = fields(map, path, GROUP_KEYS);
        String name = requiredString(f, "name", map, path);
        if (name.isBlank()) {
            throw new RuleValidationException(line(map), path + ".name", "must not be empty");
        }
        long interval = defaultIntervalMs;
        if (f.containsKey("interval")) {
            interval = duration(f.get("interval").getValueNode(), path + ".interval");
            if (interval <= 0) {
                throw new RuleValidationException(line(f.get("interval").getValueNode()), path + ".interval",
                        "must be positive");
            }
        }
        List<RuleSpec> rules = new ArrayList<>();
        if (f.containsKey("rules")) {
            SequenceNode seq = sequence(f.get("rules").getValueNode(), path + ".rules");
            for (int r = 0; r < seq.getValue().size(); r++) {
                rules.add(rule(seq.getValue().get(r), path + ".rules[" + r + "]"));
            }
        }
        return new RuleGroup(name, interval, rules);
    }

    private static RuleSpec rule(Node node, String path) {
        MappingNode map = mapping(node, path);
        Map<String, NodeTuple> f = fields(map, path, RULE_KEYS);
        boolean isAlert = f.containsKey("alert");
        boolean isRecord = f.containsKey("record");
        if (isAlert == isRecord) {
            throw new RuleValidationException(line(map), path, isAlert ? "only one of 'record' and 'alert' may be set"
                    : "one of 'record' or 'alert' must be set");
        }
        String alert = isAlert ? scalar(f.get("alert").getValueNode(), path + ".alert") : null;
        String record = isRecord ? scalar(f.get("record").getValueNode(), path + ".record") : null;
        if (isAlert && alert.isBlank()) {
            throw new RuleValidationException(line(f.get("alert").getValueNode()), path + ".alert", "must not be empty");
        }
        if (isRecord && !METRIC_NAME.matcher(record).matches()) {
            throw new RuleValidationException(line(f.get("record").getValueNode()), path + ".record",
                    "invalid recording rule name: \"" + record + "\"");
        }
        if (!f.containsKey("expr")) {
            throw new RuleValidationException(line(map), path + ".expr", "field 'expr' must be set in rule");
        }
        Node exprNode = f.get("expr").getValueNode();
        String expr = scalar(exprNode, path + ".expr").strip();
        validateExpr(expr, line(exprNode), path + ".expr");
        long forMs = 0;
        long keepFiringMs = 0;
        if (isRecord) {
            for (String key : List.of("for", "keep_firing_for", "annotations")) {
                if (f.containsKey(key)) {
                    throw new RuleValidationException(line(f.get(key).getKeyNode()), path + "." + key,
                            "invalid field '" + key + "' in recording rule");
                }
            }
        } else {
            if (f.containsKey("for")) {
                forMs = duration(f.get("for").getValueNode(), path + ".for");
            }
            if (f.containsKey("keep_firing_for")) {
                keepFiringMs = duration(f.get("keep_firing_for").getValueNode(), path + ".keep_firing_for");
            }
        }
        Map<String, String> labels = f.containsKey("labels")
                ? stringMap(f.get("labels").getValueNode(), path + ".labels", true) : Map.of();
        if (isRecord && labels.containsKey("__name__")) {
            throw new RuleValidationException(line(f.get("labels").getValueNode()), path + ".labels.__name__",
                    "a recording rule may not set the metric name label");
        }
        Map<String, String> annotations = f.containsKey("annotations")
                ? stringMap(f.get("annotations").getValueNode(), path + ".annotations", true) : Map.of();
        return new RuleSpec(alert, record, expr, forMs, keepFiringMs, labels, annotations, RuleForm.PROMQL, List.of());
    }

    /** Parses {@code expr} with the PromQL parser; the error names the YAML line and the parser's position. */
    public static void validateExpr(String expr, int line, String field) {
        if (expr.isEmpty()) {
            throw new RuleValidationException(line, field, "field 'expr' must be set in rule");
        }
        try {
            PromQLParser.parse(expr);
        } catch (PromQLParseException e) {
            throw new RuleValidationException(line, field, e.getMessage());
        }
    }

    /** Validates names and template syntax of labels or annotations given outside YAML (forms, gRPC). */
    public static void validateTemplates(Map<String, String> values, String field, boolean labels) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            checkEntry(e.getKey(), e.getValue(), 0, field, labels);
        }
    }

    private static void checkEntry(String key, String value, int line, String field, boolean nameRule) {
        if (!LABEL_NAME.matcher(key).matches()) {
            throw new RuleValidationException(line, field + "." + key, "invalid name \"" + key + "\"");
        }
        try {
            AlertTemplate.parse(value);
        } catch (AlertTemplate.TemplateException e) {
            throw new RuleValidationException(line, field + "." + key, e.getMessage());
        }
    }

    private static Map<String, String> stringMap(Node node, String path, boolean templates) {
        MappingNode map = mapping(node, path);
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), path);
            String value = scalar(t.getValueNode(), path + "." + key);
            if (templates) {
                checkEntry(key, value, line(t.getKeyNode()), path, true);
            }
            out.put(key, value);
        }
        return out;
    }

    private static long duration(Node node, String path) {
        String text = scalar(node, path);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RuleValidationException(line(node), path, e.getMessage());
        }
    }

    private static String requiredString(Map<String, NodeTuple> f, String key, Node parent, String path) {
        NodeTuple t = f.get(key);
        if (t == null) {
            throw new RuleValidationException(line(parent), path + "." + key, "missing");
        }
        return scalar(t.getValueNode(), path + "." + key);
    }

    private static Map<String, NodeTuple> fields(MappingNode map, String path, Set<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), path.isEmpty() ? "key" : path);
            String field = path.isEmpty() ? key : path + "." + key;
            if (!allowed.contains(key)) {
                throw new RuleValidationException(line(t.getKeyNode()), field, "field " + key + " not found in "
                        + (allowed.contains("rules") ? "rule group" : allowed.contains("expr") ? "rule" : "rule file"));
            }
            out.put(key, t);
        }
        return out;
    }

    private static MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw new RuleValidationException(line(node), path, "expected a mapping, found " + describe(node));
    }

    private static SequenceNode sequence(Node node, String path) {
        if (node instanceof SequenceNode s) {
            return s;
        }
        if (node instanceof ScalarNode s && "null".equals(s.getTag().getValue().replace("tag:yaml.org,2002:", ""))) {
            return new SequenceNode(org.yaml.snakeyaml.nodes.Tag.SEQ, List.of(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        }
        throw new RuleValidationException(line(node), path, "expected a list, found " + describe(node));
    }

    private static String scalar(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        throw new RuleValidationException(line(node), path, "expected a string, found " + describe(node));
    }

    private static String describe(Node node) {
        return node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list"
                : "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
