package com.foundrydb.agent.store;

/**
 * The lease a pipeline's work runs under: which agent holds it and the fencing token of that
 * grant. Every store write of a step names it, and lands only while it is still the pipeline's
 * lease and unexpired.
 */
public record Fence(String pipelineId, String agentId, long token) {}
