package kz.freedomid.oidc;

import kz.freedomid.platform.OAuthException;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;

/**
 * Request parameters of an OIDC endpoint: from the query, a form body, or (contract 4.3) a JSON body. A parameter sent
 * more than once is an invalid_request (RFC 6749 §3.1, §3.2).
 */
public final class OAuthParams {
    private final Map<String, List<String>> values;

    private OAuthParams(Map<String, List<String>> values) {
        this.values = values;
    }

    public static OAuthParams query(Context ctx) {
        return new OAuthParams(ctx.queryParamMap());
    }

    /** The body of a POST: form-urlencoded or a JSON object of strings (numbers are taken as their text). */
    public static OAuthParams body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        try {
            if (type.equals("application/x-www-form-urlencoded")) {
                return new OAuthParams(ctx.formParamMap());
            }
            if (type.equals("application/json")) {
                JsonNode node = Json.parse(ApiRequest.body(ctx));
                if (!node.isObject()) throw OAuthException.invalidRequest("The JSON body must be an object.");
                Map<String, List<String>> values = new HashMap<>();
                for (var field : node.properties()) {
                    JsonNode v = field.getValue();
                    if (v.isNull()) continue;
                    if (!v.isValueNode()) {
                        throw OAuthException.invalidRequest("Parameter '" + field.getKey() + "' must be a string.");
                    }
                    values.put(field.getKey(), List.of(v.asText()));
                }
                return new OAuthParams(values);
            }
            if (ApiRequest.body(ctx).length == 0) return new OAuthParams(Map.of());
        } catch (FreedomException e) {
            throw OAuthException.invalidRequest("The request body is malformed or too large.");
        }
        throw OAuthException.invalidRequest("Send the parameters as application/x-www-form-urlencoded or application/json.");
    }

    /** The parameters as a form-urlencoded string, leaving out {@code except} (for a pushed request, RFC 9126). */
    String encode(Set<String> except) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, list) -> {
            if (except.contains(name) || list == null) return;
            for (String value : list) {
                if (!out.isEmpty()) out.append('&');
                out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }

    /** A copy with {@code name} set to the single {@code value}. */
    OAuthParams with(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.put(name, List.of(value));
        return new OAuthParams(copy);
    }

    /** The inverse of {@link #encode}. */
    static OAuthParams decode(String form) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (!form.isEmpty()) {
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new OAuthParams(values);
    }

    /** The value, or null when absent or empty (RFC 6749 §3.1: empty parameters are treated as omitted). */
    public String optional(String name) {
        List<String> list = values.get(name);
        if (list == null || list.isEmpty()) return null;
        if (list.size() > 1) throw OAuthException.invalidRequest("Parameter '" + name + "' is repeated.");
        String value = list.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    public String required(String name) {
        String value = optional(name);
        if (value == null) throw OAuthException.invalidRequest("Parameter '" + name + "' is required.");
        return value;
    }
}
