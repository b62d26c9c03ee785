package com.foundrydb.agent.metrics;

import com.foundrydb.agent.plan.SlotMetrics;
import com.foundrydb.agent.store.Census;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.WireValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's pipelines as gauges, refreshed from one {@link Census} query before each scrape
 * (never one query per gauge):
 *
 * <ul>
 * <li>{@code foundrydb_pipelines{phase}}: pipelines by phase;</li>
 * <li>{@code foundrydb_pipeline_phase{pipeline,phase}}: 1 for the pipeline's phase, 0 for the others;</li>
 * <li>{@code foundrydb_pipeline_info{pipeline,name,source,sink}}: 1, to join names and services to ids;</li>
 * <li>{@code foundrydb_agents_alive}: agents whose heartbeat the store saw within a lease term;</li>
 * <li>{@code foundrydb_store_up}: 1 when the store answered this scrape's query, 0 when not (the
 * other series of this class are then NaN or gone).</li>
 * </ul>
 *
 * Every agent on a store serves the same store-wide figures: aggregate them with max, not sum.
 */
final class PipelineGauges {
    static final List<String> PHASES = WireValue.values(Phase.class);
    private static final Logger LOG = LoggerFactory.getLogger(PipelineGauges.class);

    /** Reads the census; the store in the agent, anything in tests. */
    interface CensusSource {
        Census take() throws SQLException;
    }

    private final CensusSource source;
    private final MultiGauge phase;
    private final MultiGauge info;
    private final Map<String, Double> byPhase = new ConcurrentHashMap<>();
    private volatile double agentsAlive = Double.NaN;
    private volatile double storeUp = 0;
    private volatile boolean storeFailureLogged;

    PipelineGauges(MeterRegistry registry, CensusSource source) {
        this.source = source;
        for (String p : PHASES) {
            byPhase.put(p, Double.NaN);
            Gauge.builder("foundrydb_pipelines", byPhase, m -> m.get(p))
                    .tag("phase", p)
                    .description("pipelines by phase")
                    .register(registry);
        }
        phase = MultiGauge.builder("foundrydb_pipeline_phase")
                .description("1 for the pipeline's phase (" + String.join(", ", PHASES) + "), 0 for the others")
                .register(registry);
        info = MultiGauge.builder("foundrydb.pipeline.info") // dotted: Micrometer then keeps the _info suffix
                .description("1 for every pipeline in the store, with its name and its source and sink services")
                .register(registry);
        Gauge.builder("foundrydb_agents_alive", this, g -> g.agentsAlive)
                .description("agents whose heartbeat the store saw within a lease term (6 s)")
                .register(registry);
        Gauge.builder("foundrydb_store_up", this, g -> g.storeUp)
                .description("1 when the agent's store answered the query of this scrape, 0 when not")
                .register(registry);
    }

    /** Reads the store once and sets every series of this class from that one answer. */
    synchronized void refresh() {
        Census census;
        try {
            census = source.take();
        } catch (SQLException | RuntimeException e) {
            if (!storeFailureLogged) {
                LOG.warn(
                        "metrics: the store did not answer ({}); pipeline series are empty until it does",
                        e.getMessage());
                storeFailureLogged = true;
            }
            storeUp = 0;
            agentsAlive = Double.NaN;
            PHASES.forEach(p -> byPhase.put(p, Double.NaN));
            phase.register(List.of(), true);
            info.register(List.of(), true);
            return;
        }
        storeFailureLogged = false;
        List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
        List<MultiGauge.Row<?>> infoRows = new ArrayList<>();
        for (Census.Pipeline p : census.pipelines()) {
            Set<String> phases = new LinkedHashSet<>(PHASES);
            phases.add(p.phase()); // a phase this list does not know yet still shows
            for (String ph : phases) {
                phaseRows.add(
                        MultiGauge.Row.of(Tags.of("pipeline", p.id(), "phase", ph), ph.equals(p.phase()) ? 1 : 0));
            }
            infoRows.add(MultiGauge.Row.of(
                    Tags.of(
                            "pipeline",
                            p.id(),
                            "name",
                            p.name(),
                            "source",
                            nonNull(p.sourceServiceId()),
                            "sink",
                            nonNull(p.sinkServiceId())),
                    1));
        }
        phase.register(phaseRows, true);
        info.register(infoRows, true);
        Map<String, Long> counts = census.pipelines().stream()
                .collect(Collectors.groupingBy(Census.Pipeline::phase, Collectors.counting()));
        PHASES.forEach(p -> byPhase.put(p, counts.getOrDefault(p, 0L).doubleValue()));
        agentsAlive = census.agentsAlive();
        storeUp = 1;
        SlotMetrics.retainOnly(
                census.pipelines().stream().map(Census.Pipeline::id).collect(Collectors.toSet()));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
