package kz.freedomid.oidc;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import kz.freedomid.keys.IdTokens;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.token.IssuedTokens;

/** The standard token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
final class TokenResponseBuilder {
    private final IdTokens idTokens;

    TokenResponseBuilder(IdTokens idTokens) {
        this.idTokens = idTokens;
    }

    Map<String, Object> build(Partner client, IssuedTokens issued, Instant now) {
        var pair = issued.pair();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issued.accessToken());
        out.put("token_type", pair.dpopJkt() != null ? "DPoP" : "Bearer"); // RFC 9449 §5
        out.put("expires_in", Math.max(0, Duration.between(now, pair.accessExpiresAt()).toSeconds()));
        if (issued.refreshToken() != null) out.put("refresh_token", issued.refreshToken());
        if (pair.grants().contains(Grant.OPENID)) out.put("id_token", idTokens.issue(issued, client.settings().idTokenAlg()));
        String scope = pair.isServiceToken() ? String.join(" ", new java.util.TreeSet<>(pair.permissions()))
                : pair.grants().stream().map(Grant::wireName).collect(Collectors.joining(" "));
        out.put("scope", scope);
        return out;
    }
}
