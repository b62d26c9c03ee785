package com.foundrydb.bridge.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the agent observed of a pipeline; {@code step} and {@code lastError} explain failures of
 * the agent's own work, {@code connectorError} the first line of a failed connector task's trace.
 */
public record PipelineStatus(
        String phase,
        String step,
        String connectorState,
        List<String> taskStates,
        BigDecimal lagBytes,
        String streamingHost,
        String primaryHost,
        Boolean slotActive,
        String slotWalStatus,
        BigDecimal slotSafeWalSize,
        String slotProblem,
        Boolean rolePresent,
        Map<String, Boolean> hbaEntries,
        List<String> publishedTables,
        String slotName,
        String publicationName,
        List<String> topics,
        String lastError,
        String connectorError) {

    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String FAILED = "failed";
}
