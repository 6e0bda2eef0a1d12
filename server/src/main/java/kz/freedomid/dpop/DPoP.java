package kz.freedomid.dpop;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.freedomid.platform.Secrets;

/**
 * DPoP proofs (RFC 9449): checks a proof for one request (§4.3) and returns the thumbprint of its key (§6.1), supplies
 * nonces (§8, §9), and remembers each accepted jti in a store all nodes share (§11.1).
 */
public final class DPoP {
    /** Asymmetric algorithms only (§4.2); offered as dpop_signing_alg_values_supported. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "PS256");
    private static final Map<JWSAlgorithm, Class<? extends JWK>> KEY_TYPES = Map.of(JWSAlgorithm.ES256, ECKey.class,
            JWSAlgorithm.ES384, ECKey.class, JWSAlgorithm.RS256, RSAKey.class, JWSAlgorithm.PS256, RSAKey.class);
    /** How old a proof's iat may be, and how far in the future (clock skew); a jti is remembered for both. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final Duration MAX_AHEAD = Duration.ofSeconds(10);
    private static final int MAX_PROOF_CHARS = 8_000;

    /** The key a verified proof was signed with: its JWK SHA-256 thumbprint (RFC 7638), as in cnf.jkt. */
    public record Proof(String jkt) {}

    /**
     * The access token presented to a protected resource: with the Bearer scheme ({@code dpop} false, {@code jkt} null),
     * or with the DPoP scheme and the key of its verified proof. {@code token} is null when none was sent.
     */
    public record Presented(boolean dpop, String token, String jkt) {}

    public final RecurringTask<Void> cleanup;
    private final DPoPJtiStore jtis;
    private final DPoPNonces nonces;
    private final boolean nonceRequired;
    private final Clock clock;

    /**
     * @param nonceKey      the key nonces are MACed with; the same on every node
     * @param nonceRequired every proof must carry a current server nonce ({@code FREEDOM_ID_DPOP_NONCE=required})
     */
    public DPoP(DPoPJtiStore jtis, byte[] nonceKey, boolean nonceRequired, Clock clock) {
        this.jtis = jtis;
        this.nonces = new DPoPNonces(nonceKey, clock);
        this.nonceRequired = nonceRequired;
        this.clock = clock;
        this.cleanup = Tasks.recurring("dpop-jti-cleanup", FixedDelay.ofMinutes(5)).execute((instance, ctx) -> cleanup());
    }

    /** Forgets the jti of proofs whose iat has left the window (they would be refused for their iat anyway). */
    int cleanup() {
        return jtis.deleteExpired(clock.instant());
    }

    /** The nonce to hand out now, in a DPoP-Nonce header. */
    public String nonce() {
        return nonces.current();
    }

    /**
     * Checks the DPoP header values of a request to {@code url} (the issuer's base URL and the path, never the Host
     * header). {@code accessToken} is the token presented to a protected resource (checked against ath), null at the
     * token endpoint. Returns null when the request has no DPoP header; the jti is remembered only when all else passed.
     */
    public Proof verify(List<String> headers, String method, String url, String accessToken) {
        if (headers == null || headers.isEmpty()) return null;
        if (headers.size() > 1) throw invalid("More than one DPoP header.");
        String proof = headers.getFirst();
        if (proof == null || proof.isBlank() || proof.length() > MAX_PROOF_CHARS) throw invalid("The DPoP proof is malformed.");
        Checked checked = check(proof.trim(), method, url, accessToken);
        // Last, once everything else passed: one insert, whose primary key decides a race between nodes.
        if (!jtis.remember(Secrets.sha256(checked.jkt() + ":" + checked.jti()), checked.iat().plus(MAX_AGE).plus(MAX_AHEAD))) {
            throw invalid("The DPoP proof was already used.");
        }
        return new Proof(checked.jkt());
    }

    private record Checked(String jkt, String jti, Instant iat) {}

    private Checked check(String proof, String method, String url, String accessToken) {
        try {
            SignedJWT jwt = SignedJWT.parse(proof);
            JWK key = checkHeader(jwt.getHeader());
            if (!jwt.verify(verifier(key))) throw invalid("The DPoP proof signature is invalid.");
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String jti = claims.getJWTID();
            if (jti == null || jti.isEmpty() || jti.length() > 256) throw invalid("The DPoP proof needs a jti.");
            if (!method.equals(claims.getStringClaim("htm"))) throw invalid("htm does not match the request method.");
            if (!sameUrl(claims.getStringClaim("htu"), url)) throw invalid("htu does not match the request URL.");
            Instant iat = checkIat(claims.getIssueTime());
            if (accessToken != null && !Secrets.constantTimeEquals(ath(accessToken), claims.getStringClaim("ath"))) {
                throw invalid("ath does not match the access token.");
            }
            checkNonce(claims.getStringClaim("nonce"));
            return new Checked(key.computeThumbprint().toString(), jti, iat);
        } catch (DPoPException e) {
            throw e;
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Whatever a crafted proof makes the JOSE library throw is the client's mistake, never a 500.
            throw invalid("The DPoP proof is malformed.");
        }
    }

    /** §4.2: typ dpop+jwt, an allowed asymmetric alg, and a public jwk of the matching type. */
    private JWK checkHeader(JWSHeader header) {
        if (header.getType() == null || !"dpop+jwt".equalsIgnoreCase(header.getType().getType())) {
            throw invalid("The DPoP proof must have typ dpop+jwt.");
        }
        Class<? extends JWK> type = KEY_TYPES.get(header.getAlgorithm());
        if (type == null) throw invalid("The DPoP proof algorithm is not supported.");
        JWK key = header.getJWK();
        if (key == null || !type.isInstance(key)) throw invalid("The DPoP proof needs a jwk of its algorithm's type.");
        if (key.isPrivate()) throw invalid("The DPoP proof's jwk must not hold a private key.");
        if (key instanceof RSAKey rsa && rsa.size() < 2048) throw invalid("The DPoP proof's RSA key is too short.");
        return key;
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
    }

    private Instant checkIat(Date issued) {
        if (issued == null) throw invalid("The DPoP proof needs an iat.");
        Instant iat = issued.toInstant();
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(MAX_AGE)) || iat.isAfter(now.plus(MAX_AHEAD))) {
            throw invalid("The DPoP proof's iat is outside the accepted window.");
        }
        return iat;
    }

    /** A nonce is always checked when present; it is demanded only when the server requires one. */
    private void checkNonce(String nonce) {
        if (nonce == null) {
            if (nonceRequired) throw new DPoPException(DPoPException.USE_NONCE, "A DPoP nonce is required.", nonces.current());
        } else if (!nonces.valid(nonce)) {
            throw new DPoPException(DPoPException.USE_NONCE, "The DPoP nonce is stale or unknown.", nonces.current());
        }
    }

    private DPoPException invalid(String description) {
        return new DPoPException(DPoPException.INVALID_PROOF, description, nonces.current());
    }

    /** §4.2: base64url(SHA-256(ASCII(access token))). */
    static String ath(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** §4.3 item 9: the URLs match ignoring query and fragment, after scheme-based normalization (RFC 3986 §6.2.3). */
    static boolean sameUrl(String htu, String expected) {
        if (htu == null) return false;
        String normalized = normalize(htu);
        return normalized != null && normalized.equals(normalize(expected));
    }

    private static String normalize(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) return null;
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443)) port = -1;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The token of a protected resource request to {@code url} (§7.1): {@code Authorization: DPoP <token>} needs a valid
     * proof for this method, URL and token; {@code Bearer <token>} is returned as is (a bound token then finds nothing).
     */
    public Presented presented(Context ctx, String url) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5)) {
            String token = authorization.substring(5).trim();
            if (token.isEmpty()) return new Presented(true, null, null);
            List<String> proofs = Collections.list(ctx.req().getHeaders("DPoP"));
            if (proofs.isEmpty()) throw invalid("A DPoP proof is required with the DPoP scheme.");
            return new Presented(true, token, verify(proofs, ctx.method().name(), url, token).jkt());
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return new Presented(false, token.isEmpty() ? null : token, null);
        }
        return new Presented(false, null, null);
    }

    /** The DPoP header values of a request (§4.3 item 1: more than one is an error). */
    public static List<String> proofs(Context ctx) {
        return Collections.list(ctx.req().getHeaders("DPoP"));
    }

    /** §7.1: the challenge of a protected resource, naming the algorithms a client may sign proofs with. */
    public static String challenge(String error, String description) {
        return "DPoP error=\"" + error + "\", error_description=\"" + description + "\", algs=\""
                + String.join(" ", ALGORITHMS) + "\"";
    }
}
