package io.tidemark.agent.statsd;

import io.tidemark.agent.Point;
import io.tidemark.proto.v1.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Aggregates StatsD lines between flushes. At each flush: counters are sent as cumulative counters (sums of
 * value / sample rate since the agent started, so {@code rate()} works); gauges as their last value; timers,
 * histograms and distributions as a summary ({@code name{quantile}} over the flush's values, cumulative
 * {@code name_sum} and {@code name_count}); sets as the number of distinct members seen in the flush. A series not
 * updated for {@code idleMs} is forgotten. At most {@code maxSeries} series are kept; lines for further series are
 * dropped and counted.
 */
public final class StatsdAggregator {

    private record Key(String name, Map<String, String> labels) {
    }

    private static final class Counter {
        double total;
        long lastUpdate;
    }

    private static final class Gauge {
        double value;
        long lastUpdate;
    }

    private static final class Timer {
        double[] values = new double[16];
        int size;
        double sum;
        double count;
        long lastUpdate;

        void add(double value, double weight) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            sum += value * weight;
            count += weight;
        }
    }

    private static final class SetState {
        final Set<String> members = new HashSet<>();
        long lastUpdate;
    }

    private final Map<Key, Counter> counters = new HashMap<>();
    private final Map<Key, Gauge> gauges = new HashMap<>();
    private final Map<Key, Timer> timers = new HashMap<>();
    private final Map<Key, SetState> sets = new HashMap<>();
    private final int maxSeries;
    private final long idleMs;
    private final double[] quantiles;
    private long droppedLines;

    public StatsdAggregator(int maxSeries, long idleMs, List<Double> quantiles) {
        this.maxSeries = maxSeries;
        this.idleMs = idleMs;
        this.quantiles = quantiles.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private int size() {
        return counters.size() + gauges.size() + timers.size() + sets.size();
    }

    /** Adds one line; returns false when it was dropped because {@code maxSeries} series are already kept. */
    public synchronized boolean add(StatsdLine line, long nowMs) {
        Key key = new Key(line.name(), line.tags().isEmpty() ? Map.of() : new TreeMap<>(line.tags()));
        boolean full = size() >= maxSeries;
        switch (line.kind()) {
            case COUNTER -> {
                Counter c = counters.get(key);
                if (c == null) {
                    if (full) {
                        return dropped();
                    }
                    counters.put(key, c = new Counter());
                }
                c.total += line.value() / line.sampleRate();
                c.lastUpdate = nowMs;
            }
            case GAUGE -> {
                Gauge g = gauges.get(key);
                if (g == null) {
                    if (full) {
                        return dropped();
                    }
                    gauges.put(key, g = new Gauge());
                }
                g.value = line.relative() ? g.value + line.value() : line.value();
                g.lastUpdate = nowMs;
            }
            case TIMER -> {
                Timer t = timers.get(key);
                if (t == null) {
                    if (full) {
                        return dropped();
                    }
                    timers.put(key, t = new Timer());
                }
                t.add(line.value(), 1 / line.sampleRate());
                t.lastUpdate = nowMs;
            }
            case SET -> {
                SetState s = sets.get(key);
                if (s == null) {
                    if (full) {
                        return dropped();
                    }
                    sets.put(key, s = new SetState());
                }
                s.members.add(line.setMember());
                s.lastUpdate = nowMs;
            }
        }
        return true;
    }

    private boolean dropped() {
        droppedLines++;
        return false;
    }

    public synchronized long droppedLines() {
        return droppedLines;
    }

    /** The series of this flush, stamped {@code nowMs}; per-flush state (timer values, set members) is reset. */
    public synchronized List<Point> flush(long nowMs) {
        List<Point> points = new ArrayList<>();
        long idleBefore = nowMs - idleMs;
        for (Iterator<Map.Entry<Key, Counter>> it = counters.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Counter> e = it.next();
            if (e.getValue().lastUpdate < idleBefore) {
                it.remove();
                continue;
            }
            points.add(Point.counter(e.getKey().name(), e.getKey().labels(), nowMs, e.getValue().total));
        }
        for (Iterator<Map.Entry<Key, Gauge>> it = gauges.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Gauge> e = it.next();
            if (e.getValue().lastUpdate < idleBefore) {
                it.remove();
                continue;
            }
            points.add(Point.gauge(e.getKey().name(), e.getKey().labels(), nowMs, e.getValue().value));
        }
        for (Iterator<Map.Entry<Key, Timer>> it = timers.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Timer> e = it.next();
            Timer t = e.getValue();
            if (t.lastUpdate < idleBefore) {
                it.remove();
                continue;
            }
            Key key = e.getKey();
            if (t.size > 0) {
                double[] sorted = Arrays.copyOf(t.values, t.size);
                Arrays.sort(sorted);
                for (double q : quantiles) {
                    Map<String, String> labels = new TreeMap<>(key.labels());
                    labels.put("quantile", formatQuantile(q));
                    // the value at rank ceil(q * n) (nearest rank), so quantile 1 is the maximum
                    int rank = Math.max(1, (int) Math.ceil(q * sorted.length));
                    points.add(new Point(key.name(), labels, MetricType.METRIC_TYPE_SUMMARY, nowMs, sorted[rank - 1]));
                }
                t.size = 0;
                if (t.values.length > 1024) {
                    t.values = new double[16];
                }
            }
            points.add(new Point(key.name() + "_sum", key.labels(), MetricType.METRIC_TYPE_SUMMARY, nowMs, t.sum));
            points.add(new Point(key.name() + "_count", key.labels(), MetricType.METRIC_TYPE_SUMMARY, nowMs, t.count));
        }
        for (Iterator<Map.Entry<Key, SetState>> it = sets.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, SetState> e = it.next();
            if (e.getValue().lastUpdate < idleBefore) {
                it.remove();
                continue;
            }
            points.add(Point.gauge(e.getKey().name(), e.getKey().labels(), nowMs, e.getValue().members.size()));
            e.getValue().members.clear();
        }
        return points;
    }

    static String formatQuantile(double q) {
        String s = Double.toString(q);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
