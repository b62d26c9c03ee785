package com.foundrydb.agent.ui;

import com.foundrydb.agent.api.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The Data Flows page at /ui/: static files from the classpath, served without a token (the page
 * asks for one and keeps it in sessionStorage); everything it shows comes from the REST API with
 * that token. A strict content security policy keeps scripts to the page's own.
 */
public final class DataFlowsPage {
    private static final String PREFIX = "/ui";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private DataFlowsPage() {}

    /** Whether a request path is one of the page's files, which need no token. */
    public static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/") && FILES.containsKey(name(path));
    }

    public static void register(Javalin app) {
        // Javalin ignores trailing slashes: one route for /ui and /ui/, and the page's relative links
        // need the slash.
        app.get(PREFIX + "/", ctx -> {
            if (ctx.path().endsWith("/")) {
                serve(ctx, "index.html");
            } else {
                ctx.redirect(PREFIX + "/");
            }
        });
        app.get(PREFIX + "/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private static String name(String path) {
        String rest = path.substring(Math.min(path.length(), PREFIX.length() + 1));
        return rest.isEmpty() ? "index.html" : rest;
    }

    private static void serve(Context ctx, String file) throws IOException {
        String type = FILES.get(file);
        InputStream in = type == null ? null : DataFlowsPage.class.getResourceAsStream("/ui/" + file);
        if (in == null) {
            throw new ApiException(404, "not_found", "the page has no file " + file, "path", "open /ui/");
        }
        try (in) {
            ctx.header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .contentType(type)
                    .result(in.readAllBytes());
        }
    }
}
