package kz.freedomid.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, on a free loopback port, that the test may stop and start: the shared
 * PostgreSQL at 5432 serves everyone's tests and must stay up. PostgreSQL refuses to run as root, so as root (CI) the
 * cluster belongs to, and runs as, the {@code postgres} OS user.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** initdb into a fresh temporary directory and start the server; fails loudly when the binaries are missing. */
    public static PrivatePostgres start() {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("freedom-id-pg");
            if (root) run(List.of("chown", "postgres:", dir.toString()), 10);
            PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort(), root);
            pg.pg(60, "initdb", "-D", pg.data().toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
            pg.begin();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    public void begin() {
        pg(60, "pg_ctl", "-D", data().toString(), "-w", "-t", "50", "-l", dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start");
    }

    /**
     * Stops the server like an operator or a failover would: "fast" ends every session at once (open transactions roll
     * back) and refuses new ones until {@link #begin} is called.
     */
    public void stop() {
        pg(60, "pg_ctl", "-D", data().toString(), "-w", "-t", "50", "-m", "fast", "stop");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            pg(60, "pg_ctl", "-D", data().toString(), "-m", "immediate", "stop");
        } catch (RuntimeException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void pg(int seconds, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) command.addAll(List.of("runuser", "-u", "postgres", "--"));
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command, seconds);
    }

    private static String run(List<String> command, int seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + seconds + " s: " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (" + process.exitValue() + "): " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findBinaries() {
        String configured = System.getenv("FREEDOM_ID_TEST_PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "pg_ctl"))) return Path.of(configured);
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> b.getParent().getFileName().toString(), Comparator.comparingInt(PrivatePostgres::version)))
                    .orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("The database outage tests need PostgreSQL's server binaries (initdb, pg_ctl): none in"
                    + " /usr/lib/postgresql/*/bin. Install the postgresql package, or set FREEDOM_ID_TEST_PG_BIN to their directory.");
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
