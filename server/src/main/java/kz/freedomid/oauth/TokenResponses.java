package kz.freedomid.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.platform.Json;
import kz.freedomid.token.IssuedTokens;

/** The token pair body of contract 3.3 and 3.4. */
public final class TokenResponses {
    public Map<String, Object> pair(IssuedTokens issued) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.pair().id().toString());
        out.put("access_token", issued.accessToken());
        out.put("refresh_token", issued.refreshToken());
        out.put("access_expire_at", Json.timestamp(issued.pair().accessExpiresAt()));
        out.put("refresh_expire_at", Json.timestamp(issued.pair().refreshExpiresAt()));
        return out;
    }
}
