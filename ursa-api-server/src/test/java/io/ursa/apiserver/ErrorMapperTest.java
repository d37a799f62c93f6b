package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.core.store.StoreUnavailableException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    private final ErrorMapper errors = new ErrorMapper();

    @Test
    void anUnavailableStoreIsA503ThatSaysWhatCouldNotBeDoneWhere() {
        String message = "could not create TrafficPermission default/p-1 in PostgreSQL ursa at 127.0.0.1:5432: "
                + "ursa-postgres - Connection is not available, request timed out after 5001ms";

        ApiError error = errors.map("Could not create a resource",
                new StoreUnavailableException(message, new SQLException("Connection refused")));

        assertThat(error.status()).isEqualTo(503);
        assertThat(error.toJson().path("title").asText()).isEqualTo("Could not create a resource");
        assertThat(error.toJson().path("details").asText()).isEqualTo(message);
        assertThat(error.toJson().has("causes")).isFalse();
    }

    @Test
    void anUnavailableStoreWithoutAMessageIsStillA503() {
        ApiError error = errors.map("Could not list resources", new StoreUnavailableException(null, null));

        assertThat(error.status()).isEqualTo(503);
        assertThat(error.details()).isEqualTo("Service Unavailable");
    }

    @Test
    void anythingUnexpectedIsA500ThatDoesNotRepeatItsMessage() {
        ApiError error = errors.map("Could not list resources", new IllegalStateException("secret internals"));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.details()).isEqualTo("Internal Server Error");
    }
}
