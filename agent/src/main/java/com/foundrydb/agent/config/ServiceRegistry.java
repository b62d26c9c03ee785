package com.foundrydb.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registered services by id, and their public face (no credentials). */
public final class ServiceRegistry {
    private final Map<String, SourceService> sources = new LinkedHashMap<>();
    private final Map<String, SinkService> sinks = new LinkedHashMap<>();

    public ServiceRegistry(List<SourceService> sources, List<SinkService> sinks) {
        for (SourceService s : sources == null ? List.<SourceService>of() : sources) {
            this.sources.put(s.id(), s);
        }
        for (SinkService s : sinks == null ? List.<SinkService>of() : sinks) {
            this.sinks.put(s.id(), s);
        }
    }

    public Optional<SourceService> source(String id) {
        return Optional.ofNullable(id == null ? null : sources.get(id));
    }

    public Optional<SinkService> sink(String id) {
        return Optional.ofNullable(id == null ? null : sinks.get(id));
    }

    public List<String> sourceIds() {
        return List.copyOf(sources.keySet());
    }

    public List<Map<String, Object>> views() {
        List<Map<String, Object>> all = new ArrayList<>();
        sources.values().forEach(s -> all.add(view(s)));
        sinks.values().forEach(s -> all.add(view(s)));
        return all;
    }

    public Optional<Map<String, Object>> view(String id) {
        if (sources.containsKey(id)) {
            return Optional.of(view(sources.get(id)));
        }
        return Optional.ofNullable(sinks.containsKey(id) ? view(sinks.get(id)) : null);
    }

    private static Map<String, Object> view(SourceService s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("name", s.name());
        v.put("kind", "postgresql");
        v.put("hosts", s.hosts().stream().map(SourceService.Host::endpoint).toList());
        v.put("database", s.database());
        return v;
    }

    private static Map<String, Object> view(SinkService s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("name", s.name());
        v.put("kind", "kafka");
        v.put("bootstrap_servers", s.bootstrapServers());
        v.put("connect_url", s.connectUrl());
        v.put("managed", s.workers().stream().anyMatch(w -> w.pluginPath() != null));
        List<Map<String, Object>> workers = new ArrayList<>();
        for (SinkService.Worker w : s.workers()) {
            Map<String, Object> worker = new LinkedHashMap<>();
            worker.put("url", w.url());
            worker.put("plugin_installed_by", w.pluginPath() != null ? "agent" : "operator");
            worker.put(
                    "restart", w.restart() == null ? "none" : w.restart().devHome() != null ? "dev_stack" : "command");
            workers.add(worker);
        }
        v.put("workers", workers);
        return v;
    }
}
