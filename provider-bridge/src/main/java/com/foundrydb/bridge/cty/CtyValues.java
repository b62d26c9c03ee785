package com.foundrydb.bridge.cty;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations on whole values that plan and apply rules are built from. */
public final class CtyValues {

    private CtyValues() {}

    /**
     * {@code planned} with each unknown replaced by what is at the same place in {@code actual}.
     * Known planned values are kept as they are: Terraform rejects an apply result that differs
     * from a known planned value, so the plan's word wins over the API's echo.
     */
    public static CtyValue fillUnknowns(CtyValue planned, CtyValue actual) {
        if (!planned.isKnown()) {
            return actual;
        }
        if (planned.isNull()
                || !actual.isKnown()
                || actual.isNull()
                || !(planned.type() instanceof CtyType.ObjectType objectType)
                || !planned.type().equals(actual.type())) {
            return planned;
        }
        Map<String, CtyValue> merged = new LinkedHashMap<>();
        for (String name : objectType.attributes().keySet()) {
            merged.put(name, fillUnknowns(planned.attr(name), actual.attr(name)));
        }
        return CtyValue.object(objectType, merged);
    }
}
