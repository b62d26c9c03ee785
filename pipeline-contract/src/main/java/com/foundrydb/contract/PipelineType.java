package com.foundrydb.contract;

/** The kinds of pipeline the agent runs. */
public enum PipelineType implements WireValue {
    /** Change data capture from a PostgreSQL service into a Kafka service. */
    CDC_PG_TO_KAFKA;

    public static PipelineType parse(String value) {
        return WireValue.parse(PipelineType.class, value);
    }
}
