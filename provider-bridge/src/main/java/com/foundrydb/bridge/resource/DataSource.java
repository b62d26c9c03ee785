package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.schema.Schema;

/** A data source type's behaviour, in terms of decoded values of its schema's type. */
public interface DataSource {

    String typeName();

    Schema schema();

    Diagnostics validate(CtyValue config);

    /** Reads with a wholly known {@code config}; Terraform defers reads until it is. */
    StateResult read(CtyValue config);
}
