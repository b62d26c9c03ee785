package com.foundrydb.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The agent's logback.xml (not the tests'), configured in a context of its own, as the agent runs it. */
class LogFormatTest {
    private static List<String> linesLogged(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the one PipelineLogContext writes to
        context.putProperty(LogFormat.PROPERTY, format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
            Logger log = context.getLogger("com.foundrydb.agent.plan.PlanRunner");
            log.info("agent starting");
            try (PipelineLogContext outer = PipelineLogContext.enter("pl_0123456789ab")) {
                try (PipelineLogContext inner = PipelineLogContext.enter("pl_ba9876543210")) {
                    log.warn("pipeline {}: \"quoted\"\nsecond line", "pl_ba9876543210");
                }
                log.info("pipeline {}: connector ensure done in {} ms", "pl_0123456789ab", 12);
            }
            log.info("after");
        } finally {
            context.stop();
            System.setOut(stdout);
        }
        return new ArrayList<>(captured.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void textShowsThePipelineOfALineAboutOne() throws Exception {
        List<String> lines = linesLogged("text");
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  PlanRunner - agent starting");
        assertThat(lines.get(1)).contains("WARN  PlanRunner [pipeline=pl_ba9876543210] - pipeline pl_ba9876543210");
        assertThat(lines.get(3))
                .contains("PlanRunner [pipeline=pl_0123456789ab] - pipeline pl_0123456789ab: connector");
        assertThat(lines.get(4)).endsWith("INFO  PlanRunner - after");
    }

    @Test
    void jsonIsOneObjectALineWithThePipelineInTheMdc() throws Exception {
        List<String> lines = linesLogged("json");
        assertThat(lines).hasSize(4);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(json.readTree(line));
        }
        assertThat(events.get(0).path("level").asText()).isEqualTo("INFO");
        assertThat(events.get(0).path("loggerName").asText()).isEqualTo("com.foundrydb.agent.plan.PlanRunner");
        assertThat(events.get(0).path("formattedMessage").asText()).isEqualTo("agent starting");
        assertThat(events.get(0).path("timestamp").asLong()).isPositive();
        assertThat(events.get(0).path("mdc").has("pipeline")).isFalse();
        assertThat(events.get(1).path("formattedMessage").asText())
                .isEqualTo("pipeline pl_ba9876543210: \"quoted\"\nsecond line");
        assertThat(events.get(1).path("mdc").path("pipeline").asText()).isEqualTo("pl_ba9876543210");
        assertThat(events.get(2).path("mdc").path("pipeline").asText()).isEqualTo("pl_0123456789ab");
        assertThat(events.get(3).path("mdc").has("pipeline")).isFalse();
    }
}
