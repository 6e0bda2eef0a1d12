package kz.freedomid.token;

/** A freshly minted pair with its raw tokens: the only moment they exist outside the partner. */
public record IssuedTokens(TokenPair pair, String accessToken, String refreshToken) {
    @Override
    public String toString() {
        return "IssuedTokens[id=" + pair.id() + "]"; // never print the tokens
    }
}
