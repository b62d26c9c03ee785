package com.foundrydb.bridge.client;

import java.util.List;

/** What a CDC pipeline copies: which tables, under which topic prefix, from which snapshot. */
public record PipelineConfig(List<String> tables, String topicPrefix, String snapshotMode) {
}
