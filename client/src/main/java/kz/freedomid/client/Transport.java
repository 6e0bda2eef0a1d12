package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP with the JDK client. Only requests marked idempotent are retried, and only when the connection could not be
 * made or the server answered 503: a token exchange or refresh is never sent twice, since a second send would burn
 * the code or look like a stolen refresh token.
 */
final class Transport {
    record Request(String method, String path, String authorization, String contentType, byte[] body, boolean idempotent) {}

    record Response(int status, byte[] body) {
        JsonNode json() {
            return Json.read(body);
        }
    }

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;

    Transport(HttpClient http, URI baseUrl, Duration requestTimeout, int maxAttempts, Duration retryDelay) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.retryDelay = retryDelay;
    }

    URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    Response send(Request request) {
        int attempts = request.idempotent() ? maxAttempts : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(build(request), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 503 && attempt < attempts) {
                    pause(attempt);
                    continue;
                }
                return new Response(response.statusCode(), response.body());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (attempt >= attempts) throw new FreedomIdTransportException("cannot connect to " + baseUrl, e);
                pause(attempt);
            } catch (IOException e) {
                throw new FreedomIdTransportException(request.method() + " " + request.path() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FreedomIdTransportException("interrupted", e);
            }
        }
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(request.path())).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (request.authorization() != null) builder.header("Authorization", request.authorization());
        if (request.body() == null) {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", request.contentType())
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        }
        return builder.build();
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(retryDelay.toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FreedomIdTransportException("interrupted", e);
        }
    }

    /** The partner API's error envelope (contract 2) as an exception. */
    static FreedomIdException freedomError(Response response) {
        JsonNode error;
        try {
            error = response.json().path("error");
        } catch (FreedomIdTransportException e) {
            return new FreedomIdException(0, response.status(), "HTTP " + response.status(), Map.of());
        }
        if (!error.isObject()) return new FreedomIdException(0, response.status(), "HTTP " + response.status(), Map.of());
        Map<String, List<String>> fields = new LinkedHashMap<>();
        error.path("errors").fields().forEachRemaining(entry -> {
            List<String> messages = new ArrayList<>();
            entry.getValue().forEach(m -> messages.add(m.asText()));
            fields.put(entry.getKey(), List.copyOf(messages));
        });
        return new FreedomIdException(error.path("code").asInt(0), response.status(),
                error.path("message").asText("HTTP " + response.status()), fields);
    }

    /** The OIDC endpoints' RFC 6749 §5.2 error as an exception. */
    static OAuthErrorException oauthError(Response response) {
        try {
            JsonNode json = response.json();
            JsonNode error = json.path("error");
            if (error.isTextual()) return new OAuthErrorException(error.asText(), Json.text(json, "error_description"), response.status());
        } catch (FreedomIdTransportException ignored) {
            // not JSON: fall through to a generic error
        }
        return new OAuthErrorException("server_error", "HTTP " + response.status(), response.status());
    }
}
