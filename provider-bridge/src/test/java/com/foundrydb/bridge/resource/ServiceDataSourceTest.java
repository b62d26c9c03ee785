package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.client.FakeAgent;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceDataSourceTest {

    private FakeAgent agent;
    private ServiceDataSource services;

    @BeforeEach
    void start() throws Exception {
        agent = new FakeAgent(null);
        AgentClient client = new AgentClient(agent.endpoint(), null, "test");
        services = new ServiceDataSource(new ResourceContext(() -> client, new StopSignal(), Duration.ofMillis(10)));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private static CtyValue byName(String name) {
        return CtyValue.object(ServiceDataSource.TYPE, Map.of(ServiceDataSource.NAME, CtyValue.string(name)));
    }

    @Test
    void findsAPostgresServiceByName() {
        StateResult result = services.read(byName("shop-postgres"));
        assertThat(result.diagnostics().isEmpty()).isTrue();
        CtyValue state = result.state();
        assertThat(state.attr("id").asString()).isEqualTo(FakeAgent.SOURCE_ID);
        assertThat(state.attr("kind").asString()).isEqualTo("postgresql");
        assertThat(state.attr("hosts")).isEqualTo(CtyValue.stringList(List.of("127.0.0.1:5432", "127.0.0.1:5433")));
        assertThat(state.attr("database").asString()).isEqualTo("shop");
        assertThat(state.attr("bootstrap_servers").isNull()).isTrue();
    }

    @Test
    void kafkaServiceHasNoHostsButItsBootstrapServers() {
        CtyValue state = services.read(byName("events-kafka")).state();
        assertThat(state.attr("hosts").elements()).isEmpty();
        assertThat(state.attr("connect_url").asString()).isEqualTo("http://127.0.0.1:8083");
    }

    @Test
    void unknownNameListsTheServicesThereAre() {
        StateResult result = services.read(byName("shop-mysql"));
        assertThat(result.diagnostics().asList()).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isEqualTo(CtyPath.of("name"));
            assertThat(d.detail()).contains("shop-postgres").contains("events-kafka");
        });
    }

    @Test
    void blankNameFailsValidation() {
        assertThat(services.validate(byName(" ")).hasErrors()).isTrue();
        assertThat(services.validate(byName("shop-postgres")).isEmpty()).isTrue();
    }
}
