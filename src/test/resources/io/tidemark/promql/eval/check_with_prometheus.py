#!/usr/bin/env python3
"""Checks the expected answers of the PromQL test scripts beside this file against the real Prometheus engine.

Each script's load blocks and eval commands become a `promtool test rules` file (promtool runs Prometheus' own
engine on the loaded series). Instant evals are asked at their time; a range eval is asked as an instant query at
every step (with @ start()/end() replaced by the range's times). Prometheus' answers are compared with the
script's expectations; mismatches are printed and the exit status is 1.

    python3 check_with_prometheus.py [--show] [script.test ...]

--show prints Prometheus' answer of every eval. Needs promtool 2.42 on PATH. Evals preceded by a
'# no-oracle' comment are skipped (cases where a range query differs from its steps as instant queries, or
Prometheus' answer is not observable through promtool: matrices, strings, ordering).
"""
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
UNITS = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 604800000, "y": 31536000000}


def parse_duration(s):
    if s == "0":
        return 0
    total = 0
    for num, unit in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", s):
        total += int(num) * UNITS[unit]
    return total


def fmt_duration(ms):
    return "%dms" % ms


def expand_values(text):
    out = []
    for tok in text.split():
        if tok == "_":
            out.append(None)
        elif tok.startswith("_x"):
            out.extend([None] * int(tok[2:]))
        else:
            m = re.fullmatch(r"(.+?)([+-])(.+)x(\d+)", tok)
            if m and not tok.startswith("-Inf") and not re.fullmatch(r"-?\d+(\.\d+)?[eE][+-]\d+", tok):
                start, delta = parse_value(m.group(1)), parse_value(m.group(3))
                if m.group(2) == "-":
                    delta = -delta
                out.extend(start + delta * k for k in range(int(m.group(4)) + 1))
            else:
                out.append(parse_value(tok))
    return out


def parse_value(s):
    return {"NaN": math.nan, "Inf": math.inf, "+Inf": math.inf, "-Inf": -math.inf}.get(s) if s in (
        "NaN", "Inf", "+Inf", "-Inf") else float(s)


def split_labels(line):
    depth, quoted, i = 0, False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == " " and depth == 0:
            return line[:i], line[i + 1:].strip()
        i += 1
    return line, ""


def canon_labels(text):
    """A label set written as name{a="b"} or {a="b", __name__="x"} → sorted tuple of pairs."""
    text = text.strip()
    name = ""
    if not text.startswith("{"):
        idx = text.find("{")
        if idx < 0:
            return (("__name__", text),)
        name, text = text[:idx], text[idx:]
    pairs = re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"', text)
    d = {k: bytes(v, "utf-8").decode("unicode_escape") for k, v in pairs}
    if name:
        d["__name__"] = name
    return tuple(sorted((k, v) for k, v in d.items() if v != ""))


def parse_script(path):
    """Yields groups: (interval, series lines, [evals]) where a group is one load state."""
    lines = open(path).read().split("\n")
    series, interval, evals, groups = [], 60000, [], []
    no_oracle = False
    i = 0

    def indented(l):
        return l.strip() and l[0].isspace() and not l.strip().startswith("#")

    while i < len(lines):
        line, lineno = lines[i].strip(), i + 1
        i += 1
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("# no-oracle"):
                no_oracle = True
            continue
        if line == "clear" or line.startswith("load "):
            if evals:
                groups.append((interval, list(series), evals))
                evals = []
            if line == "clear":
                series = []
                continue
            new_interval = parse_duration(line[5:].strip())
            if series and new_interval != interval:
                raise SystemExit("%s:%d: one interval per group of loads" % (path, lineno))
            interval = new_interval
            while i < len(lines) and indented(lines[i]):
                series.append(lines[i].strip())
                i += 1
            continue
        body = []
        while i < len(lines) and indented(lines[i]):
            body.append(lines[i].strip())
            i += 1
        m = re.fullmatch(r"(eval|eval_ordered|eval_fail) instant at (\S+) (.+)", line)
        r = re.fullmatch(r"(eval|eval_fail) range from (\S+) to (\S+) step (\S+) (.+)", line)
        if m:
            ev = dict(kind=m.group(1), expr=m.group(3), times=[parse_duration(m.group(2))], range=None)
        elif r:
            start, end, step = parse_duration(r.group(2)), parse_duration(r.group(3)), parse_duration(r.group(4))
            ev = dict(kind=r.group(1), expr=r.group(5), times=list(range(start, end + 1, step)),
                      range=(start, end, step))
        else:
            raise SystemExit("%s:%d: cannot parse %r" % (path, lineno, line))
        ev.update(line=lineno, body=body, skip=no_oracle)
        no_oracle = False
        evals.append(ev)
    if evals:
        groups.append((interval, list(series), evals))
    return groups


def series_values_for_promtool(text):
    toks = []
    for tok in text.split():
        if tok == "stale" or tok == "_" or tok.startswith("_x"):
            toks.append(tok)
        else:
            toks.extend("_" if v is None else repr_go(v) for v in expand_values(tok))
    return " ".join(toks)


def repr_go(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return repr(v)


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def run_group(interval, series, evals):
    cases = []
    for ev in evals:
        if ev["skip"]:
            continue
        for t in ev["times"]:
            expr = ev["expr"]
            if ev["range"]:
                expr = re.sub(r"@\s*start\(\)", "@ %g" % (ev["range"][0] / 1000), expr)
                expr = re.sub(r"@\s*end\(\)", "@ %g" % (ev["range"][1] / 1000), expr)
            cases.append((ev, t, "%s\n# case %d" % (expr, len(cases))))
    if not cases:
        return {}
    doc = ["evaluation_interval: 1m", "tests:", "  - interval: %s" % fmt_duration(interval), "    input_series:"]
    for s in series:
        labels, values = split_labels(s)
        doc.append("      - series: %s" % yaml_quote(labels))
        doc.append("        values: %s" % yaml_quote(series_values_for_promtool(values)))
    if not series:
        doc.append("      []")
    # promtool loads samples only up to the latest eval_time (in steps of evaluation_interval): a last,
    # ignored case makes it load them all, for @ and negative offsets that read ahead.
    longest = max([len(split_labels(x)[1].split()) for x in series] + [0])
    samples_end = 0
    for x in series:
        samples_end = max(samples_end, len(expand_values(split_labels(x)[1].replace("stale", "0"))) * interval)
    doc.append("    promql_expr_test:")
    doc.append("      - expr: vector(0)")
    doc.append("        eval_time: %s" % fmt_duration((samples_end // 60000 + 2) * 60000))
    for ev, t, expr in cases:
        doc.append("      - expr: %s" % yaml_quote(expr))
        doc.append("        eval_time: %s" % fmt_duration(t))
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("\n".join(doc) + "\n")
        name = f.name
    try:
        proc = subprocess.run(["promtool", "test", "rules", name], capture_output=True, text=True)
    finally:
        os.unlink(name)
    if os.environ.get("ORACLE_DEBUG"):
        print(proc.stdout + proc.stderr)
    return parse_promtool(proc.stdout + proc.stderr, cases)


def parse_promtool(out, cases):
    """case index → ('err', message) or ('samples', [(labels, value)]); absent index means an empty result."""
    results = {}
    blocks = re.split(r"\n    expr: ", "\n" + out)
    for b in blocks[1:]:
        m = re.search(r"# case (\d+)\"", b)
        if not m:
            continue
        idx = int(m.group(1))
        em = re.match(r"[^\n]*?, time: [^,\n]*, err: (.*)", b)
        if em:
            results[idx] = ("err", em.group(1).strip())
            continue
        gm = re.search(r"got: (.*)", b)
        results[idx] = ("samples", parse_samples(gm.group(1).strip()))
    return results


def parse_samples(text):
    out = []
    i = 0
    while i < len(text):
        if text[i] != "{":
            i += 1
            continue
        j, quoted = i, False
        while j < len(text):
            c = text[j]
            if quoted:
                if c == "\\":
                    j += 1
                elif c == '"':
                    quoted = False
            elif c == '"':
                quoted = True
            elif c == "}":
                break
            j += 1
        labels = canon_labels(text[i:j + 1])
        m = re.match(r"\s*(\S+?)(,|$)", text[j + 1:])
        out.append((labels, float(m.group(1).replace("+Inf", "inf").replace("-Inf", "-inf"))))
        i = j + 1 + m.end()
    return out


def close(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(1e-12, abs(a) * 1e-9)


def expected_at(ev, t):
    """The script's expectation at time t: ('err', msg|None) or ('samples', {labels: value}) or None."""
    if ev["kind"] == "eval_fail":
        msg = None
        for b in ev["body"]:
            if b.startswith("error:"):
                msg = b[6:].strip()
        return ("err", msg)
    samples = {}
    for b in ev["body"]:
        if b.startswith("scalar:"):
            samples[()] = parse_value(b[7:].strip())
            continue
        if b.startswith("string:") or "@" in b:
            return None
        labels, values = split_labels(b)
        vals = expand_values(values)
        k = 0 if ev["range"] is None else (t - ev["range"][0]) // ev["range"][2]
        if k < len(vals) and vals[k] is not None:
            samples[canon_labels(labels) if labels != "{}" else ()] = vals[k]
    return ("samples", samples)


def main():
    args = sys.argv[1:]
    show = "--show" in args
    scripts = [a for a in args if not a.startswith("--")] or sorted(
        f for f in os.listdir(HERE) if f.endswith(".test"))
    failures = checked = 0
    for script in scripts:
        path = os.path.join(HERE, script) if not os.path.isabs(script) else script
        for interval, series, evals in parse_script(path):
            results = run_group(interval, series, evals)
            idx = 0
            for ev in evals:
                if ev["skip"]:
                    continue
                for t in ev["times"]:
                    got = results.get(idx, ("samples", []))
                    idx += 1
                    if got[0] == "samples":
                        got = ("samples", {l: v for l, v in got[1]})
                    if show:
                        print("%s:%d @%ds %s -> %s" % (script, ev["line"], t // 1000, ev["expr"], got))
                    want = expected_at(ev, t)
                    if want is None:
                        continue
                    checked += 1
                    ok = want[0] == got[0]
                    if ok and want[0] == "err":
                        ok = want[1] is None or want[1] == got[1]
                    elif ok:
                        ok = set(want[1]) == set(got[1]) and all(close(want[1][k], got[1][k]) for k in want[1])
                    if not ok:
                        failures += 1
                        print("MISMATCH %s:%d at %ds: %s\n  script:     %s\n  prometheus: %s" % (
                            script, ev["line"], t // 1000, ev["expr"], want, got))
    print("checked %d answers, %d mismatches" % (checked, failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
