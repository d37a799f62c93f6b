package io.ursa.apiserver;

import static io.ursa.apiserver.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.access.User;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as an operator greps it: one logfmt line per write, token issue and refusal, selected by the
 * AccessAudits, 401s always, and never a token or a secret in it. Lines are written before the answer is sent,
 * so they are there when the reply arrives.
 */
class AuditLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level levelBefore;
    private TestServer api;
    private String remote;

    @BeforeEach
    void captureAuditLines() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none());
        api.seed(Fixtures.mesh("a"));
        remote = "127.0.0.1";
    }

    @AfterEach
    void release() {
        api.close();
        logger.detachAppender(lines);
        logger.setLevel(levelBefore);
    }

    private List<String> messages() {
        return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void writesTokenIssuesAndRefusalsAreLinesWithWhoWhatWhereAndTheOutcome() {
        String admin = api.adminToken();
        String alice = api.tokenFor(new User("alice", List.of("team-a")));

        api.putYaml("/meshes/a/traffic-routes/r1", Fixtures.trafficRoute("a", "r1"), bearer(admin));
        api.putYaml("/meshes/a/traffic-routes/r1", Fixtures.trafficRoute("a", "r1"), bearer(alice));
        api.putYaml("/meshes/a/secrets/s", Fixtures.secret("a", "s"), bearer(admin));
        api.get("/meshes/a/secrets/s", bearer(admin));
        api.get("/meshes/a/traffic-routes/r1", bearer(alice));
        api.putYaml("/meshes/a/traffic-routes/bad", "type: TrafficRoute\nmesh: a\nname: bad\n", bearer(admin));
        api.postJson("/tokens/dataplane", "{\"mesh\": \"a\", \"name\": \"web-1\"}", bearer(admin));
        api.postJson("/tokens/user", "{\"name\": \"bob\", \"groups\": [\"ops\"]}", bearer(admin));
        api.delete("/meshes/a/traffic-routes/r1", bearer("garbage"));
        api.delete("/meshes/a/traffic-routes/r1");

        String adminUser = "user=\"mesh-system:admin\" groups=\"mesh-system:admin,mesh-system:authenticated\"";
        String aliceUser = "user=\"alice\" groups=\"team-a,mesh-system:authenticated\"";
        String anonymous = "user=\"mesh-system:anonymous\" groups=\"mesh-system:unauthenticated\"";
        assertThat(messages()).containsExactly(
                "INFO audit " + adminUser + " access=CREATE type=TrafficRoute mesh=\"a\" name=\"r1\" outcome=allowed"
                        + " status=201 remote=" + remote,
                "WARN audit " + aliceUser + " access=UPDATE type=TrafficRoute mesh=\"a\" name=\"r1\" outcome=denied"
                        + " status=403 remote=" + remote,
                "INFO audit " + adminUser + " access=CREATE type=Secret mesh=\"a\" name=\"s\" outcome=allowed"
                        + " status=201 remote=" + remote,
                "INFO audit " + adminUser + " access=READ type=Secret mesh=\"a\" name=\"s\" outcome=allowed"
                        + " status=200 remote=" + remote,
                "INFO audit " + adminUser + " access=CREATE type=TrafficRoute mesh=\"a\" name=\"bad\""
                        + " outcome=failed status=400 remote=" + remote,
                "INFO audit " + adminUser + " access=GENERATE_DATAPLANE_TOKEN type=DataplaneToken mesh=\"a\""
                        + " name=\"web-1\" outcome=allowed status=200 remote=" + remote,
                "INFO audit " + adminUser + " access=GENERATE_USER_TOKEN type=UserToken mesh=\"\" name=\"bob\""
                        + " outcome=allowed status=200 remote=" + remote,
                "WARN audit user=\"\" groups=\"\" access=DELETE type=TrafficRoute mesh=\"a\" name=\"r1\""
                        + " outcome=unauthenticated status=401 remote=" + remote,
                "WARN audit " + anonymous + " access=DELETE type=TrafficRoute mesh=\"a\" name=\"r1\" outcome=denied"
                        + " status=403 remote=" + remote);
        String everything = String.join("\n", messages());
        assertThat(everything).doesNotContain(admin).doesNotContain(alice).doesNotContain("garbage")
                .doesNotContain("c2VjcmV0").doesNotContain("secret");
    }

    @Test
    void onlyWhatAnAccessAuditSelectsIsWrittenBut401sAlwaysAre() {
        String admin = api.adminToken();
        api.manager.delete(ResourceTypes.ACCESS_AUDIT, "", "default");
        api.seed("""
                type: AccessAudit
                name: deletes-in-a
                rules:
                - types: [TrafficRoute]
                  mesh: a
                  access: [DELETE]
                """);

        api.putYaml("/meshes/a/traffic-routes/r1", Fixtures.trafficRoute("a", "r1"), bearer(admin));
        api.postJson("/tokens/dataplane", "{\"mesh\": \"a\"}", bearer(admin));
        api.delete("/meshes/a/traffic-routes/r1", bearer(admin));
        api.get("/meshes", bearer("garbage"));

        assertThat(messages()).containsExactly(
                "INFO audit user=\"mesh-system:admin\" groups=\"mesh-system:admin,mesh-system:authenticated\""
                        + " access=DELETE type=TrafficRoute mesh=\"a\" name=\"r1\" outcome=allowed status=200"
                        + " remote=" + remote,
                "WARN audit user=\"\" groups=\"\" access=READ type=Mesh mesh=\"\" name=\"\" outcome=unauthenticated"
                        + " status=401 remote=" + remote);
    }

    @Test
    void valuesAreEscapedSoALineStaysOneLine() {
        assertThat(AuditLog.quoted("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\x01\"");
        assertThat(AuditLog.bare("Trafic Route\n")).isEqualTo("Trafic_Route_");
        assertThat(AuditLog.bare("")).isEqualTo("-");
    }
}
