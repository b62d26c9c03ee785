package com.foundrydb.agent.metrics;

import com.foundrydb.agent.BuildInfo;
import com.foundrydb.agent.store.Census;
import com.foundrydb.agent.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;

/**
 * The agent's metrics as GET /metrics serves them (Prometheus text format): the build, the JVM and
 * the process (Micrometer's binders), the store's pipelines ({@link PipelineGauges}, read once per
 * scrape), and what the reconciler registers (passes, step runs, repairs, slots).
 */
public final class AgentMetrics implements AutoCloseable {
    /**
     * Binder meters whose Prometheus names fail promtool's lint, left out: process_cpu_time_ns_total
     * (a unit abbreviation; process_cpu_usage stays) and system_cpu_count (_count is a histogram's).
     */
    private static final Set<String> LEFT_OUT = Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineGauges pipelines;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    public AgentMetrics(Store store) {
        registry.config().meterFilter(MeterFilter.deny(id -> LEFT_OUT.contains(id.getName())));
        Gauge.builder("foundrydb.build.info", () -> 1)
                .tag("version", BuildInfo.version())
                .description("1, with the agent's version")
                .register(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        pipelines = new PipelineGauges(registry, () -> Census.take(store));
    }

    /** Where the reconciler and the slot gauges register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The text exposition, with the store's pipelines as of now. */
    public synchronized String scrape() {
        pipelines.refresh();
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        heapPressure.close();
        registry.close();
    }
}
