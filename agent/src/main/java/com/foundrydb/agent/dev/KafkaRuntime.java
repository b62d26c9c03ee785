package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's jars and the Debezium plugin archive as the build resolved them from Maven Central
 * (the dev-runtime module), and how to run a JVM on that classpath.
 */
public final class KafkaRuntime {
    static final String LOG4J2 = """
      status = warn
      appender.out.type = Console
      appender.out.name = OUT
      appender.out.layout.type = PatternLayout
      appender.out.layout.pattern = [%d] %p %m (%c)%n
      rootLogger.level = info
      rootLogger.appenderRef.out.ref = OUT
      logger.reflections.name = org.reflections
      logger.reflections.level = error
      """;

    private final Path dir;

    public KafkaRuntime(Path dir) {
        this.dir = dir;
    }

    /** The dev-runtime build output: the foundrydb.devRuntime property, FOUNDRYDB_DEV_RUNTIME, or beside the agent jar. */
    public static KafkaRuntime locate() {
        String prop = System.getProperty("foundrydb.devRuntime", System.getenv("FOUNDRYDB_DEV_RUNTIME"));
        Path dir = prop != null ? Path.of(prop) : Path.of("dev-runtime", "target");
        KafkaRuntime runtime = new KafkaRuntime(dir.toAbsolutePath().normalize());
        if (!Files.isDirectory(runtime.libs())) {
            throw new IllegalStateException(
                    "Kafka's classpath is missing at " + runtime.libs() + ": build first (mvn -DskipTests install)");
        }
        return runtime;
    }

    /** The dev-runtime build output itself (what foundrydb.devRuntime names). */
    public Path dir() {
        return dir;
    }

    public Path libs() {
        return dir.resolve("kafka-libs");
    }

    public Path debeziumPluginArchive() {
        return dir.resolve("connect-plugins").resolve("debezium-connector-postgres-plugin.tar.gz");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    List<String> jvm(String heap, Path log4j2, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                java(),
                "-Xms128m",
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j2,
                "-cp",
                libs() + "/*",
                mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static void writeLog4j2(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, LOG4J2);
    }
}
