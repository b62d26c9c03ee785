package com.foundrydb.contract;

import java.util.Locale;

/** The conditions the agent reports for every pipeline ({@link PipelineHealth}). */
public enum ConditionType implements WireValue {
    /** The pipeline is settled in its desired state and every observed part matches it. */
    READY,
    /** Something the agent made no longer matches the spec: the agent repairs it, a Terraform plan shows it. */
    DRIFTED;

    /** As the API writes it: "Ready", "Drifted" (Kubernetes' spelling of condition types). */
    @Override
    public String value() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    public static ConditionType parse(String value) {
        return WireValue.parse(ConditionType.class, value);
    }
}
