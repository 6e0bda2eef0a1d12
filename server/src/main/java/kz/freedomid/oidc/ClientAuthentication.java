package kz.freedomid.oidc;

import kz.freedomid.platform.OAuthException;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FreedomException;

/**
 * Client authentication at the token, revocation and introspection endpoints: client_secret_basic,
 * client_secret_post, private_key_jwt (RFC 7523 §2.2), or none for public clients (RFC 6749 §2.3, §3.2.1). Only one
 * method per request.
 */
public final class ClientAuthentication {
    private final PartnerService partners;
    private final ClientAssertions assertions;

    public ClientAuthentication(PartnerService partners, ClientAssertions assertions) {
        this.partners = partners;
        this.assertions = assertions;
    }

    public Partner authenticate(Context ctx, OAuthParams params) {
        String header = ctx.header("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        String postedSecret = params.optional("client_secret");
        String postedId = params.optional("client_id");
        String assertionType = params.optional("client_assertion_type");
        String assertion = params.optional("client_assertion");
        if (assertionType != null || assertion != null) {
            if (basic || postedSecret != null) throw OAuthException.invalidRequest("Use one client authentication method.");
            return assertion(assertionType, assertion, postedId);
        }
        if (basic) {
            if (postedSecret != null) throw OAuthException.invalidRequest("Use one client authentication method.");
            String[] credentials = decodeBasic(header);
            if (postedId != null && !postedId.equals(credentials[0])) {
                throw OAuthException.invalidRequest("client_id differs from the authenticated client.");
            }
            return check(credentials[0], credentials[1], true);
        }
        if (postedSecret != null) return check(postedId, postedSecret, false);
        if (postedId != null) {
            return partners.findPublicClient(postedId).orElseThrow(() -> OAuthException.invalidClient(false));
        }
        throw OAuthException.invalidClient(false);
    }

    private Partner assertion(String type, String assertion, String postedId) {
        if (!ClientAssertions.TYPE.equals(type) || assertion == null) throw OAuthException.invalidClient(false);
        String claimed = ClientAssertions.claimedClient(assertion).orElseThrow(() -> OAuthException.invalidClient(false));
        // RFC 7521 §4.2: a client_id sent along must name the same client.
        if (postedId != null && !postedId.equals(claimed)) throw OAuthException.invalidClient(false);
        Partner client = PartnerService.parseUuid(claimed).flatMap(partners::find).filter(Partner::active)
                .orElseThrow(() -> OAuthException.invalidClient(false));
        if (!assertions.verify(client, assertion)) throw OAuthException.invalidClient(false);
        return client;
    }

    private Partner check(String clientId, String secret, boolean basic) {
        try {
            return partners.authenticate(clientId, secret);
        } catch (FreedomException e) {
            throw OAuthException.invalidClient(basic);
        }
    }

    private static String[] decodeBasic(String header) {
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) throw OAuthException.invalidClient(true);
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient(true);
        }
    }
}
