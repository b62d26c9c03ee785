package com.foundrydb.agent.plan;

import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.store.PipelineRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pipeline whose service is no longer in the agent's configuration may have left on it,
 * and how to clean it: register the service again (the delete then finishes by itself), or the
 * commands to remove each object by hand. Only what the furthest step started may have made is
 * named: source access (role, pg_hba lines, credentials file), publication (and the pipeline's
 * schema), replication slot, connector (and its offsets).
 */
final class ManualCleanup {
    private static final int SOURCE_ACCESS = Plan.stepNames().indexOf("source_access");
    private static final int PUBLICATION = Plan.stepNames().indexOf("publication");
    private static final int SLOT = Plan.stepNames().indexOf("replication_slot");
    private static final int CONNECTOR = Plan.stepNames().indexOf("connector");

    private ManualCleanup() {}

    /** The failure of a run whose source or sink service (or both) is gone from the configuration. */
    static StepFailure of(PipelineRecord p, boolean sourceGone, boolean sinkGone) {
        List<String> gone = new ArrayList<>();
        if (sourceGone) {
            gone.add("source service " + p.spec().sourceServiceId());
        }
        if (sinkGone) {
            gone.add("sink service " + p.spec().sinkServiceId());
        }
        String what = String.join(" and ", gone) + (gone.size() > 1 ? " are" : " is") + " no longer registered";
        if (!p.deleting()) {
            return StepFailure.needsFix(what + ": register it again in the agent's configuration and restart the agent,"
                    + " or delete the pipeline");
        }
        List<String> left = left(p, sourceGone, sinkGone);
        return StepFailure.needsFix(what + ", so the agent cannot remove what the pipeline left there: "
                + String.join("; ", left) + ". Register the service again under the same id and restart the agent: the"
                + " delete then finishes by itself; or remove these by hand, then register the service again so that the"
                + " agent confirms nothing is left");
    }

    /** What the pipeline may have left on the services that are gone; empty when it made nothing there. */
    static List<String> left(PipelineRecord p, boolean sourceGone, boolean sinkGone) {
        List<String> left = new ArrayList<>();
        PipelineNames n = p.names();
        int furthest = p.furthestStep();
        if (sinkGone && furthest >= CONNECTOR) {
            left.add("on sink " + p.spec().sinkServiceId() + ": connector " + n.connector()
                    + " and its offsets (Connect"
                    + " REST API: PUT /connectors/" + n.connector() + "/stop, DELETE /connectors/" + n.connector()
                    + "/offsets, DELETE /connectors/" + n.connector() + ")");
        }
        if (sinkGone && furthest >= SOURCE_ACCESS) {
            left.add("on sink " + p.spec().sinkServiceId() + ": file " + n.secretsFile()
                    + " in the workers' secrets directory (delete it)");
        }
        if (sourceGone && furthest >= SOURCE_ACCESS) {
            List<String> sql = new ArrayList<>();
            if (furthest >= SLOT) {
                sql.add("SELECT pg_drop_replication_slot('" + n.slot() + "') once no connector uses it");
            }
            if (furthest >= PUBLICATION) {
                sql.add("DROP PUBLICATION IF EXISTS \"" + n.publication() + "\"");
                sql.add("DROP SCHEMA IF EXISTS \"" + n.schema() + "\" CASCADE");
            }
            sql.add("DROP OWNED BY \"" + n.role() + "\"");
            sql.add("DROP ROLE \"" + n.role() + "\"");
            left.add("on source " + p.spec().sourceServiceId() + ", in the pipeline's database on the primary: "
                    + String.join("; ", sql) + "; on every host: delete the pg_hba.conf line tagged " + n.tag()
                    + " and SELECT pg_reload_conf()");
        }
        return left;
    }
}
