package com.foundrydb.bridge.client;

import java.util.List;

/** An in-place change: only the fields that are set are sent. */
public record PipelinePatch(TablesChange config, String desiredState) {

    /** The part of {@code config} that may change in place. */
    public record TablesChange(List<String> tables) {
    }
}
