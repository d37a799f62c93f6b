package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ControlPlaneInstance;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ClusterEndpointsTest {

    @Test
    void aLoneInstanceListsItselfAsTheLeader() {
        try (TestServer api = TestServer.start()) {
            Reply index = api.get("/");
            Reply reply = api.get("/control-planes");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("total").asInt()).isEqualTo(1);
            JsonNode self = reply.json().path("items").get(0);
            assertThat(self.path("id").asText()).isEqualTo(index.json().path("instanceId").asText());
            assertThat(self.path("hostname").asText()).isEqualTo(index.json().path("hostname").asText());
            assertThat(self.path("version").asText()).isEqualTo(TestServer.VERSION);
            assertThat(self.path("leader").asBoolean()).isTrue();
            assertThat(self.path("self").asBoolean()).isTrue();
            assertThat(reply.json().path("next").isNull()).isTrue();
        }
    }

    @Test
    void everyInstanceOfTheClusterIsListedWithTheLeaderAndTheAnsweringOneMarked() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        List<ControlPlaneInstance> instances = List.of(
                new ControlPlaneInstance("cp-a", "host-a", "1.0.0", t0, t0.plusSeconds(60), true),
                new ControlPlaneInstance("cp-b", "host-b", "1.0.0", t0.plusSeconds(5), t0.plusSeconds(61), false));
        try (TestServer api = TestServer.inCluster(new FixedCluster("cp-b", instances))) {
            JsonNode body = api.get("/control-planes").json();

            assertThat(api.get("/").json().path("instanceId").asText()).isEqualTo("cp-b");
            assertThat(body.path("total").asInt()).isEqualTo(2);
            assertThat(body.path("items").findValuesAsText("id")).containsExactly("cp-a", "cp-b");
            JsonNode leader = body.path("items").get(0);
            assertThat(leader.path("leader").asBoolean()).isTrue();
            assertThat(leader.path("self").asBoolean()).isFalse();
            assertThat(leader.path("startedAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(leader.path("lastSeen").asText()).isEqualTo("2026-12-01T10:01:00Z");
            JsonNode answering = body.path("items").get(1);
            assertThat(answering.path("leader").asBoolean()).isFalse();
            assertThat(answering.path("self").asBoolean()).isTrue();
            assertThat(answering.path("hostname").asText()).isEqualTo("host-b");
        }
    }

    /** A cluster as another instance's store would report it: fixed instances, this one not leading. */
    private record FixedCluster(String instanceId, List<ControlPlaneInstance> instances) implements Cluster {
        @Override
        public boolean isLeader() {
            return instances.stream().anyMatch(i -> i.leader() && i.id().equals(instanceId));
        }

        @Override
        public AutoCloseable onLeadershipChange(Consumer<Boolean> listener) {
            return () -> { };
        }

        @Override
        public void close() {
        }
    }
}
