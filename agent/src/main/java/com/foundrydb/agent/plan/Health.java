package com.foundrydb.agent.plan;

import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.PipelineHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready and Drifted ({@link PipelineHealth}) for a stored pipeline: from the facts
 * {@link StatusObserver} reads now when there is a context to read them with, else from the
 * stored record alone.
 */
final class Health {
    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    private Health() {}

    /** The conditions judged now; empty when they could not be (the stored ones then stay). */
    static Optional<List<Condition>> judge(PipelineRecord p, StepContext ctx) {
        try {
            return Optional.of(PipelineHealth.conditions(
                    ctx == null ? p.storedFacts() : StatusObserver.observe(ctx).facts(p),
                    p.conditions(),
                    Instant.now()));
        } catch (Exception e) {
            LOG.debug("pipeline {}: health not judged: {}", p.id(), e.getMessage());
            return Optional.empty();
        }
    }
}
