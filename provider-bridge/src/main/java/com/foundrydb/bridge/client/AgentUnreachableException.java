package com.foundrydb.bridge.client;

/** No answer from the agent at all: not running, wrong endpoint, or the network is in the way. */
public class AgentUnreachableException extends AgentException {
    public AgentUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
