package kz.freedomid.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.FieldErrors;

/** Body of {@code POST /api/v1/oauth/authorize} (contract 3.1), validated against the partner's registration. */
record AuthorizeRequest(String redirectUri, Set<Grant> grants, String state) {
    static final int MAX_STATE = 512;

    static AuthorizeRequest parse(ObjectNode body, Partner partner) {
        FieldErrors errors = new FieldErrors();

        // redirect_uri (REQUIRED): exactly one of the partner's registered URIs
        String redirectUri = null;
        JsonNode uri = body.get("redirect_uri");
        if (uri == null || uri.isNull() || (uri.isTextual() && uri.asText().isEmpty())) {
            errors.add("redirect_uri", "The redirect_uri field is required.");
        } else if (!uri.isTextual()) {
            errors.add("redirect_uri", "The redirect_uri must be a string.");
        } else if (!partner.allowsRedirectUri(uri.asText())) {
            errors.add("redirect_uri", "The selected redirect_uri is invalid.");
        } else {
            redirectUri = uri.asText();
        }

        // grants (REQUIRED): non-empty array of known grants this partner may ask for; duplicates ignored
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        JsonNode list = body.get("grants");
        if (list == null || list.isNull() || (list.isArray() && list.isEmpty())) {
            errors.add("grants", "The grants field is required.");
        } else if (!list.isArray()) {
            errors.add("grants", "The grants must be an array.");
        } else {
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                var grant = item.isTextual() ? Grant.parse(item.asText()) : java.util.Optional.<Grant>empty();
                if (grant.isEmpty()) {
                    errors.add("grants." + i, "The selected grants." + i + " is invalid.");
                } else if (!partner.grants().contains(grant.get())) {
                    errors.add("grants." + i, "The grants." + i + " is not allowed for this partner.");
                } else {
                    grants.add(grant.get());
                }
            }
        }

        // state (OPTIONAL, extension): echoed back on the redirect
        String state = null;
        JsonNode stateNode = body.get("state");
        if (stateNode != null && !stateNode.isNull()) {
            if (!stateNode.isTextual()) {
                errors.add("state", "The state must be a string.");
            } else if (stateNode.asText().length() > MAX_STATE) {
                errors.add("state", "The state may not be greater than " + MAX_STATE + " characters.");
            } else if (!stateNode.asText().isEmpty()) {
                state = stateNode.asText();
            }
        }
        errors.throwIfAny();
        return new AuthorizeRequest(redirectUri, grants, state);
    }
}
