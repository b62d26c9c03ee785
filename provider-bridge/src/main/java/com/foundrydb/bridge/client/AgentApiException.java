package com.foundrydb.bridge.client;

import java.util.List;

/** The agent answered a call with an error status. */
public class AgentApiException extends AgentException {

    private final int status;
    private final ApiError error;

    public AgentApiException(String call, int status, ApiError error) {
        super(call + " failed with HTTP " + status
                + (error != null && error.message() != null ? ": " + error.message() : ""));
        this.status = status;
        this.error = error != null ? error : new ApiError(null, null, null, null, List.of());
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
