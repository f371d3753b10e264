package io.tidemark.promql.eval;

import io.tidemark.promql.eval.QueryResult.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap of {@code topk}/{@code bottomk}, operated exactly like Go's container/heap with Prometheus' orderings so
 * that ties and NaN come out in the same order: for topk the smallest kept value is on top (NaN counts as
 * smallest), for bottomk the largest (NaN counts as largest).
 */
final class GoHeap {

    private final boolean reverse;
    private final List<Sample> items = new ArrayList<>();

    GoHeap(boolean reverse) {
        this.reverse = reverse;
    }

    private boolean less(int i, int j) {
        double a = items.get(i).v();
        double b = items.get(j).v();
        if (Double.isNaN(a)) {
            return true;
        }
        return reverse ? a > b : a < b;
    }

    private void swap(int i, int j) {
        Sample t = items.get(i);
        items.set(i, items.get(j));
        items.set(j, t);
    }

    int size() {
        return items.size();
    }

    Sample top() {
        return items.get(0);
    }

    void replaceTop(Sample s) {
        items.set(0, s);
    }

    void push(Sample s) {
        items.add(s);
        up(items.size() - 1);
    }

    Sample pop() {
        int n = items.size() - 1;
        swap(0, n);
        down(0, n);
        return items.remove(n);
    }

    private void up(int j) {
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(j, i)) {
                break;
            }
            swap(i, j);
            j = i;
        }
    }

    private void down(int i0, int n) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(j2, j1)) {
                j = j2;
            }
            if (!less(j, i)) {
                break;
            }
            swap(i, j);
            i = j;
        }
    }

    /**
     * The items best first: Go's sort.Sort(sort.Reverse(heap)), which for up to 12 items is an insertion sort
     * (stable), reproduced here; longer heaps are sorted stably too.
     */
    List<Sample> sortedBest() {
        int n = items.size();
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && less(j - 1, j); j--) {
                swap(j, j - 1);
            }
        }
        return items;
    }
}
