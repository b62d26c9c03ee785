package com.foundrydb.agent.postgres;

import com.foundrydb.agent.config.SourceService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link SourceAdmin}, with its connection pool, per source for the agent's lifetime. */
public final class SourceAdmins implements AutoCloseable {
    private final Map<String, SourceAdmin> byId = new ConcurrentHashMap<>();

    public SourceAdmin of(SourceService source) {
        return byId.computeIfAbsent(source.id(), id -> new SourceAdmin(source));
    }

    @Override
    public void close() {
        byId.values().forEach(SourceAdmin::close);
    }
}
