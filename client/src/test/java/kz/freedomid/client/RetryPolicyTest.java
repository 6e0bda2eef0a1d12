package kz.freedomid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry policy of the transport, against a bare HTTP stub that answers 503 twice, then 200. */
class RetryPolicyTest {
    private HttpServer stub;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = hits.incrementAndGet();
            byte[] body = (n <= 2 ? "{\"error\":{\"message\":\"unavailable\",\"code\":100503}}" : "{\"id\":\"u1\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(n <= 2 ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    private FreedomIdClient client() {
        return FreedomIdClient.builder(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()), "c", "s")
                .retries(3, Duration.ofMillis(1)).build();
    }

    @Test
    void userInfoIsRetriedOn503() {
        assertThat(client().userInfo("token").id()).isEqualTo("u1");
        assertThat(hits).hasValue(3);
    }

    @Test
    void tokenExchangeAndRefreshAreNeverRetried() {
        FreedomIdClient client = client();
        assertThatThrownBy(() -> client.exchangeCode("code"))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100503));
        assertThat(hits).hasValue(1);
        assertThatThrownBy(() -> client.refresh("refresh")).isInstanceOf(FreedomIdException.class);
        assertThat(hits).hasValue(2);
    }

    @Test
    void connectionRefusedIsATransportErrorAfterTheRetries() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        FreedomIdClient client = FreedomIdClient.builder(URI.create("http://127.0.0.1:" + port), "c", "s")
                .retries(2, Duration.ofMillis(1)).connectTimeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> client.userInfo("t")).isInstanceOf(FreedomIdTransportException.class);
    }
}
