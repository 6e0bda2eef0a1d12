package kz.freedomid.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kz.freedomid.testing.Http;

/**
 * A Keycloak started by {@code interop/keycloak/keycloak.sh} (which fetches the distribution from Maven Central into
 * the local Maven repository on first use) on loopback, and a small client of its admin REST API.
 */
final class Keycloak implements AutoCloseable {
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    /** Fetching is a Maven download of about 180 MB; the script itself bounds Keycloak's start-up wait (180 s). */
    private static final long SCRIPT_TIMEOUT_SECONDS = 600;

    final int port;
    final String baseUrl;
    final long pid;
    private final Path script;
    private final Path runDir;
    private final Thread shutdownHook;

    private Keycloak(int port, long pid, Path script, Path runDir) {
        this.port = port;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.pid = pid;
        this.script = script;
        this.runDir = runDir;
        // Should the test JVM be stopped before @AfterAll runs, Keycloak must not outlive it.
        this.shutdownHook = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Keycloak, failing (never skipping) when it cannot be fetched or started. */
    static Keycloak start() throws IOException, InterruptedException {
        Path script = script();
        int port = freePort();
        int managementPort = freePort();
        Path runDir = Path.of("target", "keycloak").toAbsolutePath();
        Files.createDirectories(runDir);
        ScriptRun run = runScript(script, runDir, "start", String.valueOf(port), String.valueOf(managementPort));
        if (run.exitCode() != 0) {
            throw new AssertionError("Keycloak could not be fetched or started (" + script + " start exited " + run.exitCode()
                    + "):\n" + run.output());
        }
        List<String> lines = run.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (!last.matches("\\d+")) throw new AssertionError("keycloak.sh start printed no PID:\n" + run.output());
        return new Keycloak(port, Long.parseLong(last), script, runDir);
    }

    @Override
    public void close() {
        try {
            runScript(script, runDir, "stop", String.valueOf(pid)); // its output is echoed as it comes
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("keycloak.sh stop failed: " + e);
        } finally {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** The end of Keycloak's log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(runDir.resolve("keycloak-" + port + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---- admin REST API ----

    private Http http() {
        return new Http(baseUrl);
    }

    /** A fresh admin token (master realm, admin-cli, the bootstrap admin); they live only 60 s by default. */
    String adminToken() {
        Http.Response response = form("/realms/master/protocol/openid-connect/token", null, Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", ADMIN_USER, "password", ADMIN_PASSWORD));
        if (response.status() != 200) throw new AssertionError("admin token: " + response.status() + " " + response.body());
        return response.json().get("access_token").asText();
    }

    Http.Response admin(String method, String path, Object body) {
        String authorization = Http.bearer(adminToken());
        Http.Response response = body == null ? http().send(method, baseUrl + "/admin/realms" + path, authorization, null, null)
                : http().json(method, baseUrl + "/admin/realms" + path, authorization, body);
        return response;
    }

    /** An admin call that must succeed with {@code expected}. */
    Http.Response admin(int expected, String method, String path, Object body) {
        Http.Response response = admin(method, path, body);
        if (response.status() != expected) {
            throw new AssertionError(method + " /admin/realms" + path + ": expected " + expected + ", got " + response.status()
                    + " " + response.body());
        }
        return response;
    }

    JsonNode adminJson(String path) {
        return admin(200, "GET", path, null).json();
    }

    Http.Response form(String path, String authorization, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http().send("POST", baseUrl + path, authorization, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the script ----

    private record ScriptRun(int exitCode, String output) {}

    private static ScriptRun runScript(Path script, Path runDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Keycloak runs on the JDK running this test (>= 21: the build needs it); the script checks the version.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KEYCLOAK_RUN_DIR", runDir.toString());
        builder.environment().put("KEYCLOAK_ADMIN_USER", ADMIN_USER);
        builder.environment().put("KEYCLOAK_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putIfAbsent("KEYCLOAK_START_TIMEOUT", "420");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[keycloak.sh] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("keycloak.sh " + String.join(" ", args) + " did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s:\n" + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (output) {
            return new ScriptRun(process.exitValue(), output.toString());
        }
    }

    /** interop/keycloak/keycloak.sh of this checkout, looked for from the working directory (server/ under Maven) up. */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("interop/keycloak/keycloak.sh");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new AssertionError("interop/keycloak/keycloak.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
