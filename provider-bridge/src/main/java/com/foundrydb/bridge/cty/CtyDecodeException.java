package com.foundrydb.bridge.cty;

/** A value or type that does not match what it claims or what the schema says it is. */
public class CtyDecodeException extends RuntimeException {
    public CtyDecodeException(String message) {
        super(message);
    }

    public CtyDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
