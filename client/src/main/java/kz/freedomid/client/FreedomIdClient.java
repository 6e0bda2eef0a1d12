package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The Freedom ID partner API (contract section 3) and the service token of the OIDC token endpoint (4.3).
 * Thread-safe; build one per partner and share it.
 *
 * <pre>{@code
 * FreedomIdClient client = FreedomIdClient.builder(URI.create("http://localhost:8080"), clientId, clientSecret).build();
 * AuthorizationLink link = client.authorizationLink("https://shop.example/callback", List.of("read.firstname"), state);
 * // … the user comes back with ?authorization_code=…
 * TokenPair tokens = client.exchangeCode(code);
 * FreedomUser user = client.userInfo(tokens.accessToken());
 * }</pre>
 *
 * Errors of the partner API throw {@link FreedomIdException} (with the Freedom error code), errors of the OIDC token
 * endpoint throw {@link OAuthErrorException}, and network failures {@link FreedomIdTransportException}.
 */
public final class FreedomIdClient {
    private static final String JSON = "application/json; charset=utf-8";

    private final Transport transport;
    private final String basicAuthorization;
    private final Clock clock;

    private FreedomIdClient(Builder builder) {
        HttpClient http = builder.httpClient != null ? builder.httpClient
                : HttpClient.newBuilder().connectTimeout(builder.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER).build();
        this.transport = new Transport(http, builder.baseUrl, builder.requestTimeout, builder.maxAttempts, builder.retryDelay);
        this.basicAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (builder.clientId + ":" + builder.clientSecret).getBytes(StandardCharsets.UTF_8));
        this.clock = builder.clock;
    }

    /** @param baseUrl the Freedom ID issuer, such as {@code https://id.freedompay.kz} */
    public static Builder builder(URI baseUrl, String clientId, String clientSecret) {
        return new Builder(baseUrl, clientId, clientSecret);
    }

    /**
     * 3.1: a single-use login link. After sign-in and consent the browser returns to {@code redirectUri} with
     * {@code authorization_code} (or {@code error_code} 100102/100103) and {@code state}.
     *
     * @param state optional (null): echoed back on the redirect, bind it to the user's session
     */
    public AuthorizationLink authorizationLink(String redirectUri, Collection<String> grants, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("redirect_uri", redirectUri);
        body.put("grants", List.copyOf(grants));
        if (state != null) body.put("state", state);
        JsonNode json = partnerCall("POST", "/api/v1/oauth/authorize", basicAuthorization, body, false);
        URI url = URI.create(json.path("redirect_uri").asText());
        return new AuthorizationLink(url, expireAt(url));
    }

    /** 3.3: exchanges the authorization code for a token pair. Never retried: a code works once. */
    public TokenPair exchangeCode(String authorizationCode) {
        return exchangeCode(authorizationCode, null);
    }

    /** 3.3 with a {@code revoke_uri} (https) that overrides the partner's default for this pair. */
    public TokenPair exchangeCode(String authorizationCode, String revokeUri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authorization_code", authorizationCode);
        if (revokeUri != null) body.put("revoke_uri", revokeUri);
        return TokenPair.from(partnerCall("POST", "/api/v1/oauth/token", basicAuthorization, body, false));
    }

    /**
     * 3.4: a new pair for the refresh token; the old pair is revoked at once. Never retried: presenting the same
     * refresh token twice revokes the whole grant (100105).
     */
    public TokenPair refresh(String refreshToken) {
        return TokenPair.from(partnerCall("PATCH", "/api/v1/oauth/token", bearer(refreshToken), null, false));
    }

    /** 3.5: the user's current data, the consented fields only. */
    public FreedomUser userInfo(String accessToken) {
        return FreedomUser.from(partnerCall("GET", "/api/v1/oauth/user", bearer(accessToken), null, true));
    }

    /** 3.6: asks for the user's full profile, assembled asynchronously; repeat with the same id to learn its status. */
    public ProfileRequestResult requestProfile(String accessToken, UUID requestId) {
        Map<String, Object> body = Map.of("request_id", requestId.toString());
        return ProfileRequestResult.from(partnerCall("POST", "/api/v1/oauth/get-profile", bearer(accessToken), body, false));
    }

    /** 3.7: the status of a profile request; when completed, decrypt {@link ProfileStatus#encryptedProfile()}. */
    public ProfileStatus profileStatus(String accessToken, UUID requestId) {
        String path = "/api/v1/oauth/get-profile/status?request_id=" + URLEncoder.encode(requestId.toString(), StandardCharsets.UTF_8);
        return ProfileStatus.from(partnerCall("GET", path, bearer(accessToken), null, true));
    }

    /**
     * Polls {@link #profileStatus} until the request is no longer pending or {@code timeout} passes.
     *
     * @return the last status seen (still pending when the timeout passed)
     */
    public ProfileStatus awaitProfile(String accessToken, UUID requestId, Duration timeout, Duration interval) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            ProfileStatus status = profileStatus(accessToken, requestId);
            if (!status.isPending() || !clock.instant().isBefore(deadline)) return status;
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
    }

    /**
     * 4.3: {@code grant_type=client_credentials}, a service token with the partner's permissions.
     *
     * @param scope permissions to ask for, such as {@code users:write}; null for all the partner has
     */
    public ServiceToken serviceToken(String scope) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (scope != null) form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        Instant now = clock.instant();
        Transport.Response response = transport.send(new Transport.Request("POST", "/api/v1/oidc/token", basicAuthorization,
                "application/x-www-form-urlencoded", form.toString().getBytes(StandardCharsets.UTF_8), false));
        if (response.status() != 200) throw Transport.oauthError(response);
        JsonNode json = response.json();
        return new ServiceToken(Json.text(json, "access_token"), now.plusSeconds(json.path("expires_in").asLong(0)),
                Json.text(json, "scope"));
    }

    /** 3.8: creates a user (needs {@code users:write}); returns the new freedom_id. */
    public String createUser(ServiceToken token, UserFields fields) {
        JsonNode json = partnerCall("POST", "/api/v1/oauth/user", bearer(token.accessToken()), fields.asMap(), false);
        return json.path("freedom_id").asText();
    }

    /**
     * 3.9: updates a user this partner created. Fields not set in {@code fields} stay as they are; fields set to null
     * are cleared.
     *
     * @return the user's current fields as the server answered them
     */
    public ManagedUser updateUser(ServiceToken token, String freedomId, UserFields fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("freedom_id", freedomId);
        body.putAll(fields.asMap());
        return ManagedUser.from(partnerCall("PUT", "/api/v1/oauth/user", bearer(token.accessToken()), body, false));
    }

    /** A verifier of revoke callbacks against this server's JWKS, with key caching. */
    public CallbackVerifier callbackVerifier() {
        return new CallbackVerifier(new JwksCache(transport, Duration.ofMinutes(10), Duration.ofSeconds(30), clock));
    }

    /** A holder of one token pair that refreshes it before it expires. */
    public RefreshingTokens refreshingTokens(TokenPair initial, Duration refreshAhead) {
        return new RefreshingTokens(this, initial, refreshAhead, clock);
    }

    private JsonNode partnerCall(String method, String path, String authorization, Object body, boolean idempotent) {
        byte[] bytes = body == null ? null : Json.write(body);
        Transport.Response response = transport.send(new Transport.Request(method, path, authorization, JSON, bytes, idempotent));
        if (response.status() / 100 != 2) throw Transport.freedomError(response);
        return response.json();
    }

    private static String bearer(String token) {
        return "Bearer " + Objects.requireNonNull(token, "token");
    }

    private static Instant expireAt(URI link) {
        String query = link.getRawQuery();
        if (query == null) return null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("expire_at=")) return Instant.ofEpochSecond(Long.parseLong(pair.substring("expire_at=".length())));
        }
        return null;
    }

    /** Settings of a {@link FreedomIdClient}; every one but the credentials has a default. */
    public static final class Builder {
        private final URI baseUrl;
        private final String clientId;
        private final String clientSecret;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int maxAttempts = 3;
        private Duration retryDelay = Duration.ofMillis(200);
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder(URI baseUrl, String clientId, String clientSecret) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        }

        /** Time allowed to open a connection (default 5 s); ignored when {@link #httpClient} is given. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Time allowed for a whole request and its answer (default 15 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Attempts for the safe reads (user info, profile status, JWKS) when the connection fails or the server answers
         * 503 (default 3, pausing {@code retryDelay × attempt} between them). Other calls are made once.
         */
        public Builder retries(int maxAttempts, Duration retryDelay) {
            this.maxAttempts = maxAttempts;
            this.retryDelay = retryDelay;
            return this;
        }

        /** Uses this JDK client (its own connect timeout, proxy, TLS settings). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** The clock for expiry decisions (tests). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public FreedomIdClient build() {
            return new FreedomIdClient(this);
        }
    }
}
