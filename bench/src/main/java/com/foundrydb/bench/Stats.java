package com.foundrydb.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Order statistics of a sample (nearest-rank percentiles). */
record Stats(List<Double> sorted) {
    static Stats of(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return new Stats(s);
    }

    double p(double percent) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double median() {
        return p(50);
    }

    String spread() {
        return sorted.isEmpty()
                ? "-"
                : String.format(Locale.ROOT, "%.0f..%.0f", sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
