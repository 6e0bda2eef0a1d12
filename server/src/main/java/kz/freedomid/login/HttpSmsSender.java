package kz.freedomid.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import kz.freedomid.platform.Lazy;

/** Posts {@code {"to","text"}} to the configured SMS gateway; anything but 2xx is a failure. */
public final class HttpSmsSender implements SmsSender {
    private final Lazy<HttpClient> client;
    private final URI gateway;
    private final ObjectMapper json;

    public HttpSmsSender(URI gateway, ObjectMapper json) {
        this.client = new Lazy<>(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        this.gateway = gateway;
        this.json = json;
    }

    @Override
    public void send(Message message) {
        try {
            byte[] body = json.writeValueAsBytes(Map.of("to", message.to(), "text", message.text()));
            HttpRequest request = HttpRequest.newBuilder(gateway)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            int status = client.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) throw new SmsFailedException("SMS gateway answered " + status);
        } catch (IOException e) {
            throw new SmsFailedException("SMS gateway unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsFailedException("interrupted");
        }
    }

    public static final class SmsFailedException extends RuntimeException {
        public SmsFailedException(String detail) {
            super(detail);
        }
    }
}
