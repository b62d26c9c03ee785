package com.foundrydb.agent.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A replication slot as the primary reports it (pg_replication_slots), with the role of the
 * walsender holding it and how far behind the primary's WAL it is.
 *
 * @param walStatus reserved, extended, unreserved or lost (PostgreSQL invalidated it)
 * @param safeWalSize bytes of WAL that may still be written before the slot is in danger of being
 *     lost; null when max_slot_wal_keep_size is unlimited
 * @param lagBytes pg_current_wal_lsn() - confirmed_flush_lsn
 * @param keepSize max_slot_wal_keep_size as the server shows it ("-1" unlimited)
 * @param restartLsn the oldest WAL the slot keeps, as a number; null once invalidated
 * @param confirmedLsn confirmed_flush_lsn as a number: where a consumer of the slot starts
 */
record SlotState(
        String name,
        String plugin,
        String slotType,
        String database,
        boolean active,
        Integer activePid,
        String activeRole,
        String walStatus,
        Long safeWalSize,
        Long lagBytes,
        String confirmedFlushLsn,
        String currentLsn,
        String keepSize,
        Long restartLsn,
        Long confirmedLsn) {

    static Optional<SlotState> read(Connection c, String slot) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        select s.plugin, s.slot_type, s.database, s.active, s.active_pid, a.usename, s.wal_status, s.safe_wal_size,
               pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint, s.confirmed_flush_lsn::text,
               pg_current_wal_lsn()::text, current_setting('max_slot_wal_keep_size'),
               pg_wal_lsn_diff(s.restart_lsn, '0/0')::bigint, pg_wal_lsn_diff(s.confirmed_flush_lsn, '0/0')::bigint
        from pg_replication_slots s left join pg_stat_activity a on a.pid = s.active_pid
        where s.slot_name = ?
        """)) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SlotState(
                        slot,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBoolean(4),
                        (Integer) rs.getObject(5),
                        rs.getString(6),
                        rs.getString(7),
                        (Long) rs.getObject(8),
                        (Long) rs.getObject(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getString(12),
                        (Long) rs.getObject(13),
                        (Long) rs.getObject(14)));
            }
        }
    }

    /**
     * Why a slot with the pipeline's name is not the pipeline's (made by someone else: another
     * plugin, another database, or held by another role's walsender), or empty if it is.
     */
    Optional<String> notOurs(String wantedDatabase, String role) {
        List<String> why = new ArrayList<>();
        if (!"logical".equals(slotType)) {
            why.add("it is a " + slotType + " slot");
        } else if (!"pgoutput".equals(plugin)) {
            why.add("its plugin is " + plugin + ", not pgoutput");
        }
        if (database != null && !database.equals(wantedDatabase)) {
            why.add("it is in database " + database + ", not " + wantedDatabase);
        }
        if (active && activeRole != null && !activeRole.equals(role)) {
            why.add("it is held by role " + activeRole + " (pid " + activePid + "), not " + role);
        }
        return why.isEmpty()
                ? Optional.empty()
                : Optional.of("replication slot " + name + " is not this pipeline's: " + String.join(", ", why)
                        + ". The agent leaves it alone: drop or rename it (pg_drop_replication_slot)");
    }

    boolean lost() {
        return "lost".equals(walStatus);
    }

    /** One line for logs and observations. */
    String describe() {
        return (active ? "active" : "inactive") + ", wal_status " + walStatus
                + (lagBytes == null ? "" : ", " + lagBytes + " bytes behind")
                + (safeWalSize == null ? "" : ", " + safeWalSize + " bytes until max_slot_wal_keep_size");
    }
}
