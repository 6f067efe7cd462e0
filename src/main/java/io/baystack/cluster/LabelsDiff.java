package io.baystack.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a cluster's (or a node group's) labels differ from those it was made from, as Magnum's detail views
 * show it: {@code labels_overridden} the keys whose value changed, with the value they had;
 * {@code labels_added} the keys the base lacks; {@code labels_skipped} the base's keys left out.
 */
record LabelsDiff(Map<String, String> overridden, Map<String, String> added, Map<String, String> skipped) {

    static LabelsDiff of(Map<String, String> base, Map<String, String> own) {
        Map<String, String> from = base == null ? Map.of() : base;
        Map<String, String> labels = own == null ? Map.of() : own;
        Map<String, String> overridden = new TreeMap<>();
        Map<String, String> added = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!from.containsKey(k)) {
                added.put(k, v);
            } else if (!Objects.equals(from.get(k), v)) {
                overridden.put(k, from.get(k));
            }
        });
        from.forEach((k, v) -> {
            if (!labels.containsKey(k)) {
                skipped.put(k, v);
            }
        });
        return new LabelsDiff(overridden, added, skipped);
    }
}
