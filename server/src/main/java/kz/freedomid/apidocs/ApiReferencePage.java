package kz.freedomid.apidocs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders an OpenAPI document as one static HTML page: operations by tag, then the schemas. */
final class ApiReferencePage {
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final String SCHEMA_PREFIX = "#/components/schemas/";

    private final JsonNode doc;
    private final StringBuilder out = new StringBuilder();

    ApiReferencePage(JsonNode doc) {
        this.doc = doc;
    }

    String render() {
        JsonNode info = doc.path("info");
        out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(info.path("title").asText())).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/assets/api-docs.css\"></head><body><main>")
                .append("<h1>").append(esc(info.path("title").asText())).append(" <small>")
                .append(esc(info.path("version").asText())).append("</small></h1>")
                .append("<p>").append(esc(info.path("description").asText())).append("</p>")
                .append("<p><a href=\"/api/openapi.json\">openapi.json</a> (OpenAPI ")
                .append(esc(doc.path("openapi").asText())).append(")</p>");
        for (JsonNode tag : doc.path("tags")) {
            String name = tag.path("name").asText();
            out.append("<section><h2>").append(esc(name)).append("</h2><p>").append(esc(tag.path("description").asText())).append("</p>");
            operations(doc.path("paths"), name);
            if (name.equals("Partner API")) operations(doc.path("webhooks"), name);
            out.append("</section>");
        }
        schemas();
        return out.append("</main></body></html>").toString();
    }

    private void operations(JsonNode paths, String tag) {
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null || !op.path("tags").path(0).asText().equals(tag)) continue;
                String where = path.getKey().startsWith("/") ? path.getKey() : "{revoke_uri} (webhook " + path.getKey() + ")";
                out.append("<article class=\"op\" id=\"").append(esc(op.path("operationId").asText())).append("\"><h3><span class=\"m m-")
                        .append(method).append("\">").append(method.toUpperCase()).append("</span> <code>").append(esc(where))
                        .append("</code> ").append(esc(op.path("summary").asText())).append("</h3><p>")
                        .append(esc(op.path("description").asText())).append("</p>");
                security(op);
                parameters(op.path("parameters"));
                requestBody(op.path("requestBody"));
                responses(op.path("responses"));
                out.append("</article>");
            }
        }
    }

    private void security(JsonNode op) {
        JsonNode security = op.get("security");
        if (security == null || security.isEmpty()) return;
        StringBuilder names = new StringBuilder();
        for (JsonNode requirement : security) {
            requirement.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
        }
        if (!names.isEmpty()) out.append("<p class=\"auth\">Auth: ").append(esc(names.toString())).append("</p>");
    }

    private void parameters(JsonNode parameters) {
        if (parameters.isMissingNode() || parameters.isEmpty()) return;
        out.append("<table><tr><th>Parameter</th><th>In</th><th>Required</th></tr>");
        for (JsonNode p : parameters) {
            out.append("<tr><td><code>").append(esc(p.path("name").asText())).append("</code></td><td>")
                    .append(esc(p.path("in").asText())).append("</td><td>").append(p.path("required").asBoolean() ? "yes" : "no")
                    .append("</td></tr>");
        }
        out.append("</table>");
    }

    private void requestBody(JsonNode body) {
        if (body.isMissingNode()) return;
        out.append("<p>Body: ");
        body.path("content").fields().forEachRemaining(c -> out.append("<code>").append(esc(c.getKey())).append("</code> ")
                .append(schemaLink(c.getValue().path("schema"))).append(' '));
        out.append("</p>");
    }

    private void responses(JsonNode responses) {
        out.append("<table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>");
        responses.fields().forEachRemaining(r -> {
            JsonNode json = r.getValue().path("content").path("application/json").path("schema");
            out.append("<tr><td>").append(esc(r.getKey())).append("</td><td>").append(esc(r.getValue().path("description").asText()))
                    .append("</td><td>").append(json.isMissingNode() ? "" : schemaLink(json)).append("</td></tr>");
        });
        out.append("</table>");
    }

    private void schemas() {
        out.append("<section><h2>Schemas</h2>");
        doc.path("components").path("schemas").fields().forEachRemaining(s -> {
            JsonNode schema = s.getValue();
            out.append("<article class=\"schema\" id=\"schema-").append(esc(s.getKey())).append("\"><h3>").append(esc(s.getKey())).append("</h3>");
            if (schema.has("description")) out.append("<p>").append(esc(schema.path("description").asText())).append("</p>");
            if (schema.has("enum")) out.append("<p>One of: <code>").append(esc(schema.path("enum").toString())).append("</code></p>");
            JsonNode properties = schema.path("properties");
            if (!properties.isMissingNode()) {
                List<String> required = textList(schema.path("required"));
                out.append("<table><tr><th>Field</th><th>Type</th><th>Required</th></tr>");
                properties.fields().forEachRemaining(p -> out.append("<tr><td><code>").append(esc(p.getKey()))
                        .append("</code></td><td>").append(type(p.getValue())).append("</td><td>")
                        .append(required.contains(p.getKey()) ? "yes" : "").append("</td></tr>"));
                out.append("</table>");
            }
            out.append("</article>");
        });
        out.append("</section>");
    }

    private String type(JsonNode schema) {
        if (schema.has("$ref")) return schemaLink(schema);
        StringBuilder t = new StringBuilder();
        if (schema.has("type")) t.append(esc(schema.path("type").isArray() ? join(schema.path("type")) : schema.path("type").asText()));
        if (schema.has("items")) t.append(" of ").append(type(schema.path("items")));
        if (schema.has("enum")) t.append(" <code>").append(esc(schema.path("enum").toString())).append("</code>");
        if (schema.has("const")) t.append(" <code>").append(esc(schema.path("const").toString())).append("</code>");
        if (schema.has("format")) t.append(" (").append(esc(schema.path("format").asText())).append(')');
        if (schema.has("pattern")) t.append(" <code>").append(esc(schema.path("pattern").asText())).append("</code>");
        if (schema.has("description")) t.append("<br>").append(esc(schema.path("description").asText()));
        return t.isEmpty() ? "any" : t.toString();
    }

    private static String schemaLink(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (!ref.startsWith(SCHEMA_PREFIX)) return esc(schema.path("type").asText("object"));
        String name = ref.substring(SCHEMA_PREFIX.length());
        return "<a href=\"#schema-" + esc(name) + "\">" + esc(name) + "</a>";
    }

    private static List<String> textList(JsonNode array) {
        return array.isArray() ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of();
    }

    private static String join(JsonNode array) {
        return String.join(" | ", textList(array));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
