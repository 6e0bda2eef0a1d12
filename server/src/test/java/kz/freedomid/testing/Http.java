package kz.freedomid.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import kz.freedomid.platform.Json;

/** A plain HTTP client for API tests: no cookies, no redirects followed. */
public final class Http {
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The Freedom error code of an error envelope. */
        public int errorCode() {
            return json().path("error").path("code").asInt();
        }
    }

    private final String baseUrl;
    private final java.util.Map<String, String> headers;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public Http(String baseUrl) {
        this(baseUrl, java.util.Map.of());
    }

    private Http(String baseUrl, java.util.Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** A client that also sends {@code name: value} with every request (X-Forwarded-For, say). */
    public Http withHeader(String name, String value) {
        var more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new Http(baseUrl, java.util.Map.copyOf(more));
    }

    public static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Sends a request; {@code body} null means none, {@code authorization} and {@code contentType} may be null. */
    public Response send(String method, String path, String authorization, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) request.header("Authorization", authorization);
        if (contentType != null) request.header("Content-Type", contentType);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response json(String method, String path, String authorization, Object body) {
        byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.write(body).getBytes(StandardCharsets.UTF_8);
        return send(method, path, authorization, "application/json", bytes);
    }

    public Response get(String path, String authorization) {
        return send("GET", path, authorization, null, null);
    }
}
