package kz.freedomid.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.keys.IdTokens;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.Json;
import kz.freedomid.token.IssuedTokens;

/** The token pair body of contract 3.3 and 3.4, with an id_token when {@code openid} was granted. */
public final class TokenResponses {
    private final IdTokens idTokens;

    public TokenResponses(IdTokens idTokens) {
        this.idTokens = idTokens;
    }

    /** @param idTokenAlg the partner's id_token algorithm, used when {@code openid} was granted */
    public Map<String, Object> pair(IssuedTokens issued, String idTokenAlg) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.pair().id().toString());
        out.put("access_token", issued.accessToken());
        out.put("refresh_token", issued.refreshToken());
        out.put("access_expire_at", Json.timestamp(issued.pair().accessExpiresAt()));
        out.put("refresh_expire_at", Json.timestamp(issued.pair().refreshExpiresAt()));
        if (issued.pair().grants().contains(Grant.OPENID)) out.put("id_token", idTokens.issue(issued, idTokenAlg));
        return out;
    }
}
