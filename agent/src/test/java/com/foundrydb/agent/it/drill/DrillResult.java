package com.foundrydb.agent.it.drill;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one drill measured: the load's counts, the verdict on Kafka by key, how the pipeline's
 * status looked from the fault's start until it was running again, and what was left after delete.
 *
 * @param committed statements the source acknowledged ({@code updates} and {@code deletes} among them)
 * @param inDoubt statements whose connection broke; the source's final content decides them
 * @param refused statements that found no source to connect to: nothing was written
 * @param lost keys the source holds at the end that never arrived on Kafka (must be 0)
 * @param wrongEndState keys whose latest event on Kafka disagrees with the source (must be 0)
 * @param missedChanges acknowledged changes never delivered as such (only where it snapshotted again)
 * @param lostAtSource acknowledged rows the surviving primary lacks (a failover's lost commits)
 * @param phantoms of those, rows Kafka still shows, delivered before the old primary failed
 * @param snapshotRecords snapshot events: the tables were empty at create, so these mean a re-snapshot
 * @param wrongAfterRefresh wrong end states left for a consumer that treats a re-snapshot as a full
 *     refresh of its table (see {@link com.foundrydb.agent.it.load.Tally}); must be 0
 * @param wrongEndStateDetail what the writers last did to the keys in a wrong end state, and when
 * @param faultSeconds from the fault's start to its end (the part it hit back)
 * @param lastRowSeconds from the fault's end until the last change acknowledged by then was on Kafka
 *     (0 when the pipeline had kept up), null if none arrived
 * @param states every distinct status from the fault's start until the end of the drill, in order
 * @param showedFault whether a reading taken while the fault lasted showed anything but a pipeline at work
 * @param recovered whether the status was back to running by itself (the drill made no API call but GET)
 * @param recoveredSeconds from the fault's end to the first reading of the final healthy run
 * @param residue what the world holds after delete that it did not before create (must be empty)
 * @param drillSeconds the drill's whole wall time: create, load, fault, recovery, quiet, delete
 */
public record DrillResult(
        String fault,
        String how,
        String pipelineId,
        long committed,
        long inDoubt,
        long refused,
        long updates,
        long deletes,
        int keys,
        int keysDelivered,
        int lost,
        int wrongEndState,
        int missedChanges,
        int duplicates,
        int lostAtSource,
        int phantoms,
        int snapshotRecords,
        int wrongAfterRefresh,
        String wrongEndStateDetail,
        double faultSeconds,
        Double lastRowSeconds,
        List<StateSeen> states,
        boolean showedFault,
        boolean recovered,
        Double recoveredSeconds,
        List<String> residue,
        List<String> examples,
        double drillSeconds) {

    /** A status seen: first seen this many seconds after the fault began, in this many readings. */
    public record StateSeen(String state, boolean healthy, double firstSeconds, int readings) {}

    public boolean endStateRight() {
        return wrongEndState == 0;
    }

    /** Right as events show it, or after a re-snapshot once read as a full refresh. */
    public boolean endStateRightAfterRefresh() {
        return wrongAfterRefresh == 0;
    }

    public boolean snapshottedAgain() {
        return snapshotRecords > 0;
    }

    /** The states other than a pipeline at work, or what the status showed instead. */
    public String faultShownAs() {
        List<StateSeen> faulty = states.stream().filter(s -> !s.healthy()).toList();
        if (faulty.isEmpty()) {
            return "nothing: running throughout";
        }
        String seen = faulty.stream()
                .map(s -> String.format(Locale.ROOT, "%s (+%.0f s, %d×)", s.state(), s.firstSeconds(), s.readings()))
                .collect(Collectors.joining("; "));
        return showedFault ? seen : "nothing while it lasted; then " + seen;
    }

    public String recoveredAs() {
        return recovered ? String.format(Locale.ROOT, "yes, %.0f s after", recoveredSeconds) : "no";
    }

    public String summary() {
        return String.format(
                Locale.ROOT,
                "%s: committed %d (in doubt %d, refused %d; %d updates, %d deletes), keys %d,"
                        + " delivered %d, lost %d, wrong end state %d, missed changes %d, duplicates %d, lost at source %d"
                        + " (%d on Kafka), snapshot records %d, wrong after a re-snapshot read as a refresh %d%s; fault %.1f s, fault end -> last row %s; status: %s;"
                        + " back to running by itself: %s; residue %s; drill %.0f s%s",
                fault,
                committed,
                inDoubt,
                refused,
                updates,
                deletes,
                keys,
                keysDelivered,
                lost,
                wrongEndState,
                missedChanges,
                duplicates,
                lostAtSource,
                phantoms,
                snapshotRecords,
                wrongAfterRefresh,
                wrongEndStateDetail == null ? "" : "; wrong end states: " + wrongEndStateDetail,
                faultSeconds,
                lastRowSeconds == null ? "-" : String.format(Locale.ROOT, "%.1f s", lastRowSeconds),
                faultShownAs(),
                recoveredAs(),
                residue.isEmpty() ? "none" : residue,
                drillSeconds,
                examples.isEmpty() ? "" : "; e.g. " + examples);
    }
}
