package com.foundrydb.bridge.client;

/** A pipeline as the agent returns it: its spec, its id and its observed status. */
public record Pipeline(
        String id,
        String name,
        String pipelineType,
        String sourceServiceId,
        String sinkServiceId,
        PipelineConfig config,
        String desiredState,
        PipelineStatus status,
        String createdAt,
        String updatedAt) {

    /** The status, or an empty one when the agent sent none. */
    public PipelineStatus statusOrEmpty() {
        return status != null ? status
                : new PipelineStatus(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null);
    }
}
