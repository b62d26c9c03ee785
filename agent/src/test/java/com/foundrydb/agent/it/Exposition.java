package com.foundrydb.agent.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A scrape of /metrics in the Prometheus text format, as samples: name, labels, value. */
final class Exposition {
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final String text;
    final List<Sample> samples = new ArrayList<>();

    Exposition(String text) {
        this.text = text;
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(
                    new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("+Inf", "Infinity"))));
        }
    }

    Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The label names the samples of a metric carry. */
    Set<String> labelNames(String name) {
        return named(name).stream()
                .flatMap(s -> s.labels().keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    Set<String> labelValues(String name, String label) {
        return named(name).stream()
                .map(s -> s.labels().get(label))
                .filter(v -> v != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The value of the sample with exactly these labels among others it may have. */
    Optional<Double> value(String name, Map<String, String> labels) {
        return named(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .findFirst();
    }
}
