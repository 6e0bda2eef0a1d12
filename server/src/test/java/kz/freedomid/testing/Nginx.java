package kz.freedomid.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real nginx (the Debian package) as a round-robin load balancer in front of server nodes on this machine: a minimal
 * configuration in a temporary directory (pid, logs and temp files in it), listening on a free loopback port, run in the
 * foreground as a child process and stopped by {@link #close()}. Fails loudly when nginx is not installed.
 * <p>
 * Retries follow docs/deployment.md: a request that reached no node (connection refused, connect timeout) goes to the
 * next one; a POST or PATCH that reached a node is never sent to another (a refresh may already have rotated the pair).
 * GETs are idempotent, so nginx also retries them after an error or a 502/503. Each response names the node that
 * answered in {@code X-Upstream} (a test aid; production configurations should not expose it).
 */
public final class Nginx implements AutoCloseable {
    public final int port;
    public final String url;
    public final Path dir;
    private final Process process;

    private Nginx(int port, Path dir, Process process) {
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
        this.dir = dir;
        this.process = process;
    }

    public static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        throw new IllegalStateException("nginx is not installed (apt-get install -y nginx); the load-balancer tests need it");
    }

    /** nginx on {@code port} (0: a free one) in front of the nodes on 127.0.0.1 at {@code nodePorts}, round robin. */
    public static Nginx roundRobin(int port, List<Integer> nodePorts) throws IOException, InterruptedException {
        String nginx = binary();
        int listen = port == 0 ? freePort() : port;
        Path dir = Files.createTempDirectory("freedom-id-nginx");
        Files.writeString(dir.resolve("nginx.conf"), config(dir, listen, nodePorts));
        Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx started = new Nginx(listen, dir, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts(listen)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("nginx did not start on 127.0.0.1:" + listen + ":\n" + started.log());
            }
            Thread.sleep(50);
        }
        return started;
    }

    static String config(Path dir, int listen, List<Integer> nodePorts) {
        String servers = nodePorts.stream().map(p -> "        server 127.0.0.1:" + p + " max_fails=1 fail_timeout=30s;")
                .collect(Collectors.joining("\n"));
        String d = dir.toString();
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream freedom_id {
                        # round robin is nginx's default; no stickiness
                %2$s
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        client_max_body_size 1m;
                        location / {
                            proxy_pass http://freedom_id;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Real-IP $remote_addr;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            # POST and PATCH go to another node only when they reached none (no non_idempotent)
                            proxy_next_upstream error timeout http_502 http_503;
                            proxy_next_upstream_tries 2;
                            proxy_connect_timeout 1s;
                            proxy_read_timeout 30s;
                            add_header X-Upstream $upstream_addr always;
                        }
                    }
                }
                """.formatted(d, servers, listen);
    }

    public String log() {
        try {
            String error = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
            String out = Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
            return out + error;
        } catch (IOException e) {
            return "(nginx log unreadable: " + e + ")";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
