package com.foundrydb.agent.store;

import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import java.time.Instant;

/** A pipeline as the store holds it: the user's spec and where its plan stands. */
public record PipelineRecord(String id, PipelineSpec spec, String phase, String step, int nextStep,
    int furthestStep, boolean deleting, String lastError, int attempts, Instant nextAttemptAt, String rolePassword,
    Instant createdAt, Instant updatedAt) {

  public PipelineNames names() {
    return new PipelineNames(id);
  }

  /** The password stays out of every rendering of a record. */
  @Override
  public String toString() {
    return "PipelineRecord[" + id + " " + spec.name() + " " + phase + " step=" + step + "]";
  }
}
