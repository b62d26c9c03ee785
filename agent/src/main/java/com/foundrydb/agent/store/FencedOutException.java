package com.foundrydb.agent.store;

import java.sql.SQLException;

/** A step's write was refused: the writer's lease expired or another agent holds the pipeline now. */
public final class FencedOutException extends SQLException {
    public FencedOutException(Fence fence) {
        super("pipeline " + fence.pipelineId() + ": lease token " + fence.token() + " of agent " + fence.agentId()
                + " is no longer the pipeline's lease; the write was refused");
    }
}
