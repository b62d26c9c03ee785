package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;

/** A new state (possibly null-valued: the object does not exist) with diagnostics. */
public record StateResult(CtyValue state, Diagnostics diagnostics) {}
