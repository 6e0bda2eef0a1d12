package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partners whose revoke-callback receivers misbehave (a body without end, headers dripped a byte at a time, many that
 * hang) cost the server bounded time and memory, and do not hold up the callbacks of the partners that answer.
 */
class HostileReceiverTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void shortAttempts() {
        server.app.callbacks.attemptTimeout(Duration.ofSeconds(1));
    }

    @AfterEach
    void normalAttempts() {
        server.app.callbacks.attemptTimeout(CallbackJobs.ATTEMPT_TIMEOUT);
        // A hostile receiver's callback is retried for a day: drop it, so the next test counts only its own.
        server.execute("DELETE FROM scheduled_tasks WHERE task_name = 'revoke-callback'");
    }

    @Test
    void aReceiverSendingAGigabyteBodyIsDoneWithOnceItsStatusArrives() throws Exception {
        try (RawReceiver receiver = new RawReceiver(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 16 * 1024; i++) out.write(chunk); // until the server hangs up
        })) {
            server.app.callbacks.attemptTimeout(CallbackJobs.ATTEMPT_TIMEOUT); // what is bounded here is memory, not time
            logout(signIn(server, server.browser(), register(server, receiver.url(), null)));

            await(server.clock, "the 200 taken as delivered", 15, () -> queued(server, "revoke-callback") == 0);
            await(server.clock, "the server hung up on the body", 15, () -> receiver.finished.get() == 1);
            assertThat(receiver.connections.get()).isEqualTo(1);
            assertThat(receiver.bytesWritten.get()).as("the server read the status, not the body")
                    .isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void aReceiverDrippingItsHeadersFailsTheAttemptAtTheTimeoutAndIsRetried() throws Exception {
        try (RawReceiver receiver = new RawReceiver(out -> {
            for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                sleep(200);
            }
            for (int i = 0; i < 300; i++) { // a minute of header that never ends
                out.write('a');
                out.flush();
                sleep(200);
            }
        })) {
            long started = System.nanoTime();
            logout(signIn(server, server.browser(), register(server, receiver.url(), null)));

            await(server.clock, "the attempt recorded as failed", 15, () -> failing(server, "revoke-callback") == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            await(server.clock, "the server hung up on the drip", 15, () -> receiver.finished.get() == 1);
            server.clock.advance(Duration.ofSeconds(11));
            await(server.clock, "a retry", 15, () -> receiver.connections.get() == 2);
        }
    }

    @Test
    void partnersWhoseReceiversHangDoNotHoldUpAPartnerThatAnswers() throws Exception {
        try (Receiver hanging = new Receiver(n -> HANG); Receiver healthy = new Receiver(n -> 204)) {
            List<SignedIn> stuck = new ArrayList<>();
            for (int i = 0; i < 12; i++) stuck.add(signIn(server, server.browser(), register(server, hanging.url("/revoke"), null)));
            SignedIn answering = signIn(server, server.browser(), register(server, healthy.url("/revoke"), null));

            for (SignedIn s : stuck) logout(s);
            long loggedOut = System.nanoTime();
            logout(answering);

            await(server.clock, "the answering partner's callback", 20, () -> healthy.count() == 1);
            // Twelve hanging receivers on eight job threads: one attempt timeout (1 s here) frees the threads in turn.
            assertThat(Duration.ofNanos(System.nanoTime() - loggedOut)).isLessThan(Duration.ofSeconds(12));
            await(server.clock, "every hanging receiver tried", 20, () -> hanging.count() >= 12);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    interface Answer {
        void write(OutputStream out) throws IOException;
    }

    /** A receiver on a bare socket, so a test can answer in ways no well-behaved HTTP server would. */
    static final class RawReceiver implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicLong bytesWritten = new AtomicLong();
        private final ServerSocket socket;

        RawReceiver(Answer answer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(connection, answer));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket connection, Answer answer) {
            try (connection) {
                readRequest(connection.getInputStream());
                OutputStream counting = new OutputStream() {
                    final OutputStream out = connection.getOutputStream();

                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        bytesWritten.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        bytesWritten.addAndGet(len);
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }
                };
                answer.write(counting);
            } catch (IOException hungUp) {
                // the server closed the connection: what these tests wait for
            } finally {
                finished.incrementAndGet();
            }
        }

        /** Reads the request's headers and its Content-Length body, so the answer starts after the whole request. */
        private static void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) return;
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/revoke";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
