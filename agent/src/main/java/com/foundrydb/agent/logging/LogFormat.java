package com.foundrydb.agent.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How the agent writes its log lines to stdout: {@code text} for people, {@code json} (one JSON
 * object a line, with the MDC) for log shippers. logback.xml includes log-format-&lt;format&gt;.xml,
 * chosen by the system property {@value #PROPERTY}, else FOUNDRYDB_LOG_FORMAT, else text.
 */
public enum LogFormat {
    TEXT,
    JSON;

    public static final String PROPERTY = "foundrydb.log.format";
    /** The context property logback.xml sets to the format it was configured with. */
    private static final String CONFIGURED = "foundrydb.log.format.configured";

    /** Switches logging to this format; configures logback again only when it already runs with another. */
    public void apply() {
        String name = name().toLowerCase(Locale.ROOT);
        System.setProperty(PROPERTY, name);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && !name.equals(context.getProperty(CONFIGURED))) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("logging could not be configured for --log-format " + name, e);
            }
        }
    }
}
