package com.foundrydb.agent.plan;

/**
 * One piece of a pipeline's world. observe reads and never changes; ensure makes the world match
 * and is safe to call again after a crash at any point; remove undoes only what carries this
 * pipeline's name or tag, and is idempotent too.
 */
public interface Step {
    String name();

    Observation observe(StepContext ctx) throws Exception;

    void ensure(StepContext ctx) throws Exception;

    void remove(StepContext ctx) throws Exception;

    /** Whether the reconciler's periodic drift check may call observe (false where observe is costly). */
    default boolean observedPeriodically() {
        return true;
    }
}
