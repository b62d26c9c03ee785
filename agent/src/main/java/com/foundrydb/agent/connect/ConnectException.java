package com.foundrydb.agent.connect;

import java.io.IOException;

/** A Connect REST call that answered with an error status; the message is Connect's own. */
public final class ConnectException extends IOException {
    private final int status;

    public ConnectException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
