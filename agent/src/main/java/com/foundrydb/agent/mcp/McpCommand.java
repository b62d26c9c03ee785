package com.foundrydb.agent.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * foundrydb-agent mcp: the pipeline tools for AI assistants, as a Model Context Protocol server
 * on stdin/stdout. A client of the agent's REST API like any other (FOUNDRYDB_ENDPOINT,
 * FOUNDRYDB_TOKEN). Stdout carries the protocol alone: everything else printed, logs included,
 * goes to stderr.
 */
@Command(
        name = "mcp",
        description = "Serve the pipeline tools to an AI assistant over the Model Context Protocol"
                + " (stdio). Reads FOUNDRYDB_ENDPOINT (default http://127.0.0.1:8686) and FOUNDRYDB_TOKEN.")
public final class McpCommand implements Callable<Integer> {
    static final String INSTRUCTIONS = """
      Tools for FoundryDB pipelines: change data capture from PostgreSQL tables into Kafka topics.
      Typical flow: list_services (ids of PostgreSQL sources and Kafka sinks), list_source_tables
      (which tables can be captured), validate_pipeline, create_pipeline, then get_pipeline until
      phase is running. pause_pipeline, resume_pipeline and delete_pipeline act on one pipeline;
      confirm a delete with the user. Errors name the argument at fault (field) and how to fix it (hint).
      """;

    @Override
    public Integer call() throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        Logger log = LoggerFactory.getLogger(McpCommand.class);

        AgentApi api = AgentApi.fromEnvironment(System.getenv());
        if (!api.hasToken) {
            log.warn("FOUNDRYDB_TOKEN is not set; the agent will refuse every call but its health check");
        }
        McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        CountDownLatch clientGone = new CountDownLatch(1);
        StdioServerTransportProvider transport =
                new StdioServerTransportProvider(mapper, new EndOfInput(System.in, clientGone), protocol);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("foundrydb-pipelines", "0.1.0")
                .instructions(INSTRUCTIONS)
                .jsonMapper(mapper)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                // The API validates arguments and names the field at fault; one place, one wording.
                .validateToolInputs(false)
                .tools(new PipelineTools(api, mapper).all())
                .build();
        log.info("MCP pipeline tools on stdio for the agent at {}", api.endpoint);
        clientGone.await();
        log.info("stdin closed; stopping");
        server.closeGracefully();
        return 0;
    }

    /** Stdin that says when the client closed it: the server's signal to stop. */
    private static final class EndOfInput extends FilterInputStream {
        private final CountDownLatch ended;

        EndOfInput(InputStream in, CountDownLatch ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return seen(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return seen(super.read(b, off, len));
        }

        private int seen(int n) {
            if (n < 0) {
                ended.countDown();
            }
            return n;
        }
    }
}
