package io.tidemark.alerting.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The subset of Go's text/template that alert annotations and notification templates use:
 * {@code {{ $labels.host }}}, {@code {{ $value }}}, {@code {{ .Labels.host }}}, pipes and calls of
 * {@code humanize}, {@code humanizePercentage}, {@code humanizeDuration}, {@code printf}, {@code toUpper},
 * {@code toLower}, {@code title}, {@code len}, {@code join}, and {@code range}/{@code if}/{@code else}/{@code end}
 * blocks. Parsed once; an unsupported action is refused at parse time with its offset.
 */
public final class AlertTemplate {

    /** A template that cannot be parsed: {@code offset} is the 0-based char offset of the action. */
    public static final class TemplateException extends RuntimeException {
        private final int offset;

        TemplateException(int offset, String message) {
            super("template: offset " + offset + ": " + message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private sealed interface Node permits Text, Action, Range, If {
    }

    private record Text(String text) implements Node {
    }

    private record Action(List<Command> pipeline) implements Node {
    }

    private record Range(List<Command> pipeline, List<Node> body, List<Node> orElse) implements Node {
    }

    private record If(List<Command> pipeline, List<Node> body, List<Node> orElse) implements Node {
    }

    /** A function name (or null for a plain value) and its arguments. */
    private record Command(String function, List<String> args) {
    }

    private static final List<String> FUNCTIONS = List.of("humanize", "humanizePercentage", "humanizeDuration",
            "printf", "toUpper", "toLower", "title", "len", "join");

    private final String source;
    private final List<Node> nodes;

    private AlertTemplate(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    public String source() {
        return source;
    }

    public static AlertTemplate parse(String text) {
        Parser p = new Parser(text);
        List<Node> nodes = p.block(false);
        return new AlertTemplate(text, nodes);
    }

    /**
     * Expands the template. {@code vars} are the {@code $name} variables (the root {@code .} is {@code dot}).
     * A missing label expands to the empty string, as Go's templates do with maps.
     */
    public String expand(Object dot, Map<String, Object> vars) {
        StringBuilder out = new StringBuilder();
        run(nodes, dot, vars, out);
        return out.toString();
    }

    /** The annotation form: {@code $labels}, {@code $value}, {@code $externalLabels}, and {@code .Labels}/{@code .Value}. */
    public String expandForAlert(Map<String, String> labels, double value) {
        Map<String, Object> vars = Map.of("labels", labels, "value", value, "externalLabels", Map.of());
        return expand(Map.of("Labels", labels, "Value", value, "ExternalLabels", Map.of()), vars);
    }

    private static void run(List<Node> nodes, Object dot, Map<String, Object> vars, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Action a) {
                out.append(print(eval(a.pipeline(), dot, vars)));
            } else if (n instanceof Range r) {
                Object v = eval(r.pipeline(), dot, vars);
                Collection<?> items = v instanceof Collection<?> c ? c
                        : v instanceof Map<?, ?> m ? m.values() : List.of();
                if (items.isEmpty()) {
                    run(r.orElse(), dot, vars, out);
                }
                for (Object item : items) {
                    run(r.body(), item, vars, out);
                }
            } else if (n instanceof If i) {
                run(truthy(eval(i.pipeline(), dot, vars)) ? i.body() : i.orElse(), dot, vars, out);
            }
        }
    }

    private static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number num) {
            return num.doubleValue() != 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    private static Object eval(List<Command> pipeline, Object dot, Map<String, Object> vars) {
        Object value = null;
        boolean first = true;
        for (Command c : pipeline) {
            List<Object> args = new ArrayList<>();
            for (String a : c.args()) {
                args.add(operand(a, dot, vars));
            }
            if (!first) {
                args.add(value);
            }
            value = c.function() == null ? args.get(0) : call(c.function(), args);
            first = false;
        }
        return value;
    }

    private static Object operand(String token, Object dot, Map<String, Object> vars) {
        if (token.startsWith("\"")) {
            return unquote(token);
        }
        if (token.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return Double.parseDouble(token);
        }
        Object current;
        String[] path;
        if (token.startsWith("$")) {
            String[] parts = token.substring(1).split("\\.", -1);
            current = parts[0].isEmpty() ? dot : vars.get(parts[0]);
            path = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        } else {
            current = dot;
            path = token.equals(".") ? new String[0] : token.substring(1).split("\\.", -1);
        }
        for (String field : path) {
            current = current instanceof Map<?, ?> m ? m.get(field) : null;
        }
        return current;
    }

    private static Object call(String function, List<Object> args) {
        return switch (function) {
            case "humanize" -> humanize(number(args.get(0)));
            case "humanizePercentage" -> humanize(number(args.get(0)) * 100) + "%";
            case "humanizeDuration" -> humanizeDuration(number(args.get(0)));
            case "printf" -> printf(String.valueOf(args.get(0)), args.subList(1, args.size()));
            case "toUpper" -> print(args.get(0)).toUpperCase(Locale.ROOT);
            case "toLower" -> print(args.get(0)).toLowerCase(Locale.ROOT);
            case "title" -> {
                String s = print(args.get(0));
                yield s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case "len" -> (double) (args.get(0) instanceof Collection<?> c ? c.size()
                    : args.get(0) instanceof Map<?, ?> m ? m.size() : print(args.get(0)).length());
            case "join" -> {
                Object items = args.get(1);
                List<String> parts = new ArrayList<>();
                if (items instanceof Collection<?> c) {
                    c.forEach(i -> parts.add(print(i)));
                }
                yield String.join(print(args.get(0)), parts);
            }
            default -> throw new IllegalStateException(function);
        };
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(print(v));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String printf(String format, List<Object> args) {
        // Go verbs that matter here: %s, %d, %f/%.Nf, %v, %g
        Object[] values = new Object[args.size()];
        String javaFormat = format.replace("%v", "%s");
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            values[i] = a instanceof Double d && javaFormat.contains("%d") ? (Object) d.longValue() : a;
        }
        try {
            return String.format(Locale.ROOT, javaFormat, values);
        } catch (java.util.IllegalFormatException e) {
            return "%!(" + e.getMessage() + ")";
        }
    }

    /** Prometheus' humanize: SI prefixes for large and small numbers, 4 significant digits. */
    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return formatG(v);
        }
        String[] big = {"", "k", "M", "G", "T", "P", "E", "Z", "Y"};
        String[] small = {"", "m", "u", "n", "p", "f", "a", "z", "y"};
        double abs = Math.abs(v);
        if (abs >= 1) {
            int i = 0;
            while (abs >= 1000 && i < big.length - 1) {
                v /= 1000;
                abs /= 1000;
                i++;
            }
            return formatG(v) + big[i];
        }
        int i = 0;
        while (abs < 1 && i < small.length - 1) {
            v *= 1000;
            abs *= 1000;
            i++;
        }
        return formatG(v) + small[i];
    }

    private static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }

    private static String humanizeDuration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return formatG(seconds);
        }
        if (Math.abs(seconds) < 1) {
            return humanize(seconds) + "s";
        }
        long s = (long) Math.abs(seconds);
        String sign = seconds < 0 ? "-" : "";
        long days = s / 86400;
        long hours = s / 3600 % 24;
        long minutes = s / 60 % 60;
        long secs = s % 60;
        if (days > 0) {
            return sign + days + "d " + hours + "h " + minutes + "m " + secs + "s";
        }
        if (hours > 0) {
            return sign + hours + "h " + minutes + "m " + secs + "s";
        }
        if (minutes > 0) {
            return sign + minutes + "m " + secs + "s";
        }
        return sign + secs + "s";
    }

    static String print(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
                return Long.toString(d.longValue());
            }
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "+Inf" : "-Inf") : Double.toString(d);
        }
        return v.toString();
    }

    private static String unquote(String token) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c == '\\' && i + 1 < token.length() - 1) {
                char n = token.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Recursive descent over text and {{ actions }}. */
    private static final class Parser {
        private final String text;
        private int pos;
        private String stoppedAt;
        private int stoppedOffset;

        Parser(String text) {
            this.text = text;
        }

        /** Nodes up to the end of input (top level) or up to an else/end action (inside a block). */
        List<Node> block(boolean nested) {
            List<Node> nodes = new ArrayList<>();
            while (pos < text.length()) {
                int open = text.indexOf("{{", pos);
                if (open < 0) {
                    nodes.add(new Text(text.substring(pos)));
                    pos = text.length();
                    break;
                }
                String before = text.substring(pos, open);
                int close = text.indexOf("}}", open + 2);
                if (close < 0) {
                    throw new TemplateException(open, "unclosed action");
                }
                String inner = text.substring(open + 2, close);
                boolean trimLeft = inner.startsWith("-");
                boolean trimRight = inner.endsWith("-");
                if (trimLeft) {
                    before = before.stripTrailing();
                    inner = inner.substring(1);
                }
                if (trimRight) {
                    inner = inner.substring(0, inner.length() - 1);
                }
                if (!before.isEmpty()) {
                    nodes.add(new Text(before));
                }
                pos = close + 2;
                if (trimRight) {
                    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                        pos++;
                    }
                }
                String action = inner.strip();
                if (action.startsWith("/*")) {
                    continue;
                }
                List<String> tokens = tokenize(action, open);
                if (tokens.isEmpty()) {
                    throw new TemplateException(open, "missing value for command");
                }
                String head = tokens.get(0);
                switch (head) {
                    case "end", "else" -> {
                        if (!nested) {
                            throw new TemplateException(open, "unexpected {{" + head + "}}");
                        }
                        stoppedAt = head;
                        stoppedOffset = open;
                        return nodes;
                    }
                    case "range", "if" -> {
                        List<Command> pipeline = pipeline(tokens.subList(1, tokens.size()), open);
                        List<Node> body = block(true);
                        List<Node> orElse = List.of();
                        if ("else".equals(stoppedAt)) {
                            orElse = block(true);
                        }
                        if (!"end".equals(stoppedAt)) {
                            throw new TemplateException(open, "unexpected EOF: {{" + head + "}} without {{end}}");
                        }
                        stoppedAt = null;
                        nodes.add(head.equals("range") ? new Range(pipeline, body, orElse) : new If(pipeline, body, orElse));
                    }
                    case "define", "template", "with", "block", "define_", "break", "continue" ->
                        throw new TemplateException(open, "{{" + head + "}} is not supported");
                    default -> nodes.add(new Action(pipeline(tokens, open)));
                }
            }
            if (nested) {
                stoppedAt = null;
            }
            return nodes;
        }

        private List<Command> pipeline(List<String> tokens, int offset) {
            List<Command> commands = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (String t : tokens) {
                if (t.equals("|")) {
                    commands.add(command(current, offset, !commands.isEmpty()));
                    current = new ArrayList<>();
                } else {
                    current.add(t);
                }
            }
            commands.add(command(current, offset, !commands.isEmpty()));
            return commands;
        }

        private Command command(List<String> tokens, int offset, boolean piped) {
            if (tokens.isEmpty()) {
                throw new TemplateException(offset, "missing command in pipeline");
            }
            String head = tokens.get(0);
            if (FUNCTIONS.contains(head)) {
                for (String a : tokens.subList(1, tokens.size())) {
                    checkOperand(a, offset);
                }
                int args = tokens.size() - 1 + (piped ? 1 : 0);
                int needed = switch (head) {
                    case "printf" -> 1;
                    case "join" -> 2;
                    default -> 1;
                };
                if (head.equals("printf") ? args < needed : args != needed) {
                    throw new TemplateException(offset, "wrong number of args for " + head + ": want " + needed
                            + " got " + args);
                }
                return new Command(head, List.copyOf(tokens.subList(1, tokens.size())));
            }
            if (piped) {
                throw new TemplateException(offset, "non executable command in pipeline stage: " + head);
            }
            if (tokens.size() != 1) {
                throw new TemplateException(offset, "function \"" + head + "\" not defined");
            }
            checkOperand(head, offset);
            return new Command(null, List.of(head));
        }

        private void checkOperand(String token, int offset) {
            if (token.startsWith("\"") || token.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return;
            }
            if (token.equals(".") || token.matches("\\$[A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*")
                    || token.matches("(\\.[A-Za-z0-9_]+)+")) {
                return;
            }
            throw new TemplateException(offset, "function \"" + token + "\" not defined");
        }

        private List<String> tokenize(String action, int offset) {
            List<String> tokens = new ArrayList<>();
            int i = 0;
            while (i < action.length()) {
                char c = action.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '|') {
                    tokens.add("|");
                    i++;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < action.length() && action.charAt(j) != '"') {
                        j += action.charAt(j) == '\\' ? 2 : 1;
                    }
                    if (j >= action.length()) {
                        throw new TemplateException(offset, "unterminated quoted string");
                    }
                    tokens.add(action.substring(i, j + 1));
                    i = j + 1;
                } else if (c == '(' || c == ')' || c == ':' || c == '=') {
                    throw new TemplateException(offset, "'" + c + "' is not supported");
                } else {
                    int j = i;
                    while (j < action.length() && !Character.isWhitespace(action.charAt(j)) && action.charAt(j) != '|') {
                        j++;
                    }
                    tokens.add(action.substring(i, j));
                    i = j;
                }
            }
            return tokens;
        }
    }
}
