package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A payment card as released by {@code read.cards}: never a full number. */
public record Card(String id, String maskedPan, String brand, String expiry) {
    static Card from(JsonNode json) {
        return new Card(Json.text(json, "id"), Json.text(json, "masked_pan"), Json.text(json, "brand"),
                Json.text(json, "expiry"));
    }
}
