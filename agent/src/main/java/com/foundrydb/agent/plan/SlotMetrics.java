package com.foundrydb.agent.plan;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last replication-slot facts observed per pipeline, as Prometheus gauges. Drift checks and
 * live status reads query the slot anyway and record what they saw here, so a scrape of /metrics
 * asks neither the store nor any source. Values are as fresh as the last drift check
 * (drift_check_interval_seconds) on the agent that holds the reconciler lease.
 *
 * <ul>
 * <li>{@code foundrydb_pipeline_lag_bytes{pipeline}}: pg_current_wal_lsn() - confirmed_flush_lsn
 * (NaN while there is no slot);</li>
 * <li>{@code foundrydb_pipeline_wal_status{pipeline,wal_status}}: 1 for the slot's wal_status
 * (reserved, extended, unreserved, lost, or absent: no slot), 0 for the others;</li>
 * <li>{@code foundrydb_pipeline_safe_wal_size_bytes{pipeline}}: WAL that may still be written
 * before the slot is in danger of being lost (NaN when max_slot_wal_keep_size is unlimited);</li>
 * <li>{@code foundrydb_pipeline_slot_active{pipeline}}: 1 while a walsender holds the slot (the
 * connector streams), 0 when none does or there is no slot.</li>
 * </ul>
 *
 * Each scrape drops the series of pipelines no longer in the store ({@link #retainOnly}), so an
 * agent that only read a pipeline's live status does not keep its series after another deleted it.
 */
public final class SlotMetrics {
    static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost", "absent");

    private record Reading(Long lagBytes, String walStatus, Long safeWalSize, boolean active) {}

    private static final Map<String, Reading> LAST = new ConcurrentHashMap<>();
    private static final Map<String, List<Meter>> METERS = new ConcurrentHashMap<>();
    private static MeterRegistry registry;

    private SlotMetrics() {}

    /** Serves the readings from this registry (the one /metrics scrapes); called once at start. */
    public static synchronized void bindTo(MeterRegistry r) {
        registry = r;
        LAST.keySet().forEach(SlotMetrics::register);
    }

    /** What the primary showed of the pipeline's slot just now; null: it has none. */
    static void record(String pipelineId, SlotState slot) {
        LAST.put(
                pipelineId,
                slot == null
                        ? new Reading(null, "absent", null, false)
                        : new Reading(slot.lagBytes(), slot.walStatus(), slot.safeWalSize(), slot.active()));
        if (!METERS.containsKey(pipelineId)) {
            register(pipelineId);
        }
    }

    /** Forgets every pipeline but these (the ones in the store now). */
    public static void retainOnly(Set<String> pipelineIds) {
        List.copyOf(METERS.keySet()).stream()
                .filter(id -> !pipelineIds.contains(id))
                .forEach(SlotMetrics::forget);
        LAST.keySet().removeIf(id -> !pipelineIds.contains(id));
    }

    /** The pipeline is gone: its series go too. */
    static synchronized void forget(String pipelineId) {
        LAST.remove(pipelineId);
        List<Meter> meters = METERS.remove(pipelineId);
        if (meters != null && registry != null) {
            meters.forEach(registry::remove);
        }
    }

    private static synchronized void register(String id) {
        if (registry == null || METERS.containsKey(id) || !LAST.containsKey(id)) {
            return;
        }
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("foundrydb_pipeline_lag_bytes", () -> number(LAST.get(id), Reading::lagBytes))
                .tag("pipeline", id)
                .description(
                        "bytes of WAL the pipeline's slot has not confirmed (pg_current_wal_lsn() - confirmed_flush_lsn)")
                .register(registry));
        meters.add(Gauge.builder(
                        "foundrydb_pipeline_safe_wal_size_bytes", () -> number(LAST.get(id), Reading::safeWalSize))
                .tag("pipeline", id)
                .description("WAL that may still be written before the pipeline's slot is in danger of being lost"
                        + " (NaN: max_slot_wal_keep_size unlimited)")
                .register(registry));
        meters.add(Gauge.builder("foundrydb_pipeline_slot_active", () -> {
                    Reading r = LAST.get(id);
                    return r != null && r.active() ? 1 : 0;
                })
                .tag("pipeline", id)
                .description(
                        "1 while a walsender holds the pipeline's replication slot, 0 when none does or there is none")
                .register(registry));
        for (String status : WAL_STATUSES) {
            meters.add(Gauge.builder("foundrydb_pipeline_wal_status", () -> {
                        Reading r = LAST.get(id);
                        return r != null && status.equals(r.walStatus()) ? 1 : 0;
                    })
                    .tag("pipeline", id)
                    .tag("wal_status", status)
                    .description("1 for the wal_status of the pipeline's replication slot (absent: no slot)")
                    .register(registry));
        }
        METERS.put(id, meters);
    }

    private static double number(Reading r, java.util.function.Function<Reading, Long> field) {
        Long v = r == null ? null : field.apply(r);
        return v == null ? Double.NaN : v;
    }
}
