package kz.freedomid.oidc;

import java.util.Map;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.TokenService;

/** grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4, §3.5). */
final class DeviceCodeGrant implements TokenGrant {
    private final DeviceFlow devices;
    private final TokenService tokens;
    private final TokenResponseBuilder responses;

    DeviceCodeGrant(DeviceFlow devices, TokenService tokens, TokenResponseBuilder responses) {
        this.devices = devices;
        this.tokens = tokens;
        this.responses = responses;
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp) {
        return grant(client, params, clientIp, null);
    }

    /** With a DPoP proof, the device's tokens are bound to its key like those of the other grants (RFC 9449 §5). */
    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp, String dpopJkt) {
        String deviceCode = params.required("device_code"); // device_code (REQUIRED)
        if (!client.settings().deviceGrant()) {
            throw OAuthException.unauthorizedClient("This client may not use the device authorization grant.");
        }
        return switch (devices.redeem(client, deviceCode, clientIp, dpopJkt)) {
            case DeviceFlow.Redeemed.Tokens issued -> responses.build(client, issued.tokens(), tokens.now());
            case DeviceFlow.Redeemed.Refused refused ->
                    throw OAuthException.of(400, refused.refusal().error, refused.refusal().description);
        };
    }
}
