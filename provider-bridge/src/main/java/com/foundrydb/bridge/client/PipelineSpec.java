package com.foundrydb.bridge.client;

/** The user's side of a pipeline: the body of create and validate calls. */
public record PipelineSpec(
        String name,
        String pipelineType,
        String sourceServiceId,
        String sinkServiceId,
        PipelineConfig config,
        String desiredState) {
}
