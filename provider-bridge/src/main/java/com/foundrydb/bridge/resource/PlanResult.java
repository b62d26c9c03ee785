package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import java.util.List;

/** A planned new state, the attributes whose change forces replacement, and diagnostics. */
public record PlanResult(CtyValue plannedState, List<CtyPath> requiresReplace, Diagnostics diagnostics) {

    public PlanResult {
        requiresReplace = List.copyOf(requiresReplace);
    }
}
