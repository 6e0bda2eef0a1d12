package kz.freedomid.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
    private static Transport.Response response(int status, String body) {
        return new Transport.Response(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void freedomEnvelopeBecomesCodeStatusAndMessage() {
        FreedomIdException e = Transport.freedomError(response(400,
                "{\"error\":{\"message\":\"Invalid authorization_code.\",\"code\":100101}}"));
        assertThat(e.code()).isEqualTo(FreedomIdException.INVALID_AUTHORIZATION_CODE);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Invalid authorization_code.");
        assertThat(e.fieldErrors()).isEmpty();
    }

    @Test
    void validationErrorCarriesTheFieldMap() {
        FreedomIdException e = Transport.freedomError(response(422, """
                {"error":{"message":"Error validating transmitted data.","code":100004,
                 "errors":{"grants":["The grants field is required."],"grants.3":["The selected grants.3 is invalid.","x"]}}}"""));
        assertThat(e.code()).isEqualTo(100004);
        assertThat(e.fieldErrors()).containsOnlyKeys("grants", "grants.3");
        assertThat(e.fieldErrors().get("grants.3")).isEqualTo(List.of("The selected grants.3 is invalid.", "x"));
    }

    @Test
    void answerWithoutEnvelopeKeepsTheStatus() {
        FreedomIdException e = Transport.freedomError(response(502, "<html>Bad gateway</html>"));
        assertThat(e.code()).isZero();
        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void oauthErrorReadsRfc6749Fields() {
        OAuthErrorException e = Transport.oauthError(response(400,
                "{\"error\":\"invalid_scope\",\"error_description\":\"The client does not have the permissions.\"}"));
        assertThat(e.error()).isEqualTo("invalid_scope");
        assertThat(e.description()).isEqualTo("The client does not have the permissions.");
        assertThat(e.httpStatus()).isEqualTo(400);
    }
}
