package kz.freedomid.oidc;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.Redirects;

/**
 * {@code POST /api/v1/oidc/device} (RFC 8628 §3.1, §3.2): the client authenticates as at the token endpoint (a public
 * client with its client_id alone) and gets a device code to poll with and a user code for the user to enter at
 * {@code /device}.
 */
final class DeviceAuthorizationEndpoint {
    private final ClientAuthentication clients;
    private final DeviceFlow devices;
    private final String verificationUri;

    DeviceAuthorizationEndpoint(ClientAuthentication clients, DeviceFlow devices, String issuer) {
        this.clients = clients;
        this.devices = devices;
        this.verificationUri = issuer + "/device";
    }

    void handle(Context ctx) {
        OAuthParams params = OAuthParams.body(ctx);
        Partner client = clients.authenticate(ctx, params);
        if (!client.settings().deviceGrant()) {
            throw OAuthException.unauthorizedClient("This client may not use the device authorization grant.");
        }
        String scope = params.optional("scope");
        if (scope == null) throw OAuthException.invalidScope("The scope parameter is required.");
        Set<Grant> grants = AuthorizationRequest.allowedScopes(scope, client);
        DeviceFlow.Started started = devices.start(client, grants);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", started.deviceCode());
        body.put("user_code", started.userCode());
        body.put("verification_uri", verificationUri);
        body.put("verification_uri_complete", verificationUri + "?user_code=" + Redirects.encode(started.userCode()));
        body.put("expires_in", started.expiresIn());
        body.put("interval", started.interval());
        ctx.contentType("application/json; charset=utf-8").header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .result(Json.write(body));
    }
}
