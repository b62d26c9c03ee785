package com.foundrydb.contract;

import java.util.Locale;

/** Whether a condition holds; Unknown when the parts it needs could not be observed. */
public enum ConditionStatus implements WireValue {
    TRUE,
    FALSE,
    UNKNOWN;

    /** As the API writes it: "True", "False", "Unknown". */
    @Override
    public String value() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    public static ConditionStatus parse(String value) {
        return WireValue.parse(ConditionStatus.class, value);
    }

    public static ConditionStatus of(boolean holds) {
        return holds ? TRUE : FALSE;
    }
}
