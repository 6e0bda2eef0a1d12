package kz.freedomid.user;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's payment card as released by {@code read.cards}: never the full number, only the masked one. */
public record Card(UUID id, String maskedPan, String brand, String expiry) {
    /** The shape of contract section 1, {@code {id, masked_pan, brand, expiry}}, used by every face that releases cards. */
    public Map<String, Object> released() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("masked_pan", maskedPan);
        out.put("brand", brand);
        out.put("expiry", expiry);
        return out;
    }

    public static List<Map<String, Object>> released(List<Card> cards) {
        return cards.stream().map(Card::released).toList();
    }
}
