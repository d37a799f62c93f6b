package io.ursa.core.manager;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/** A manager over a memory store, and helpers that write resources given as Universal YAML. */
final class ManagerFixture {
    final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    final MemoryResourceStore store = new MemoryResourceStore();
    final ResourceManager manager;

    ManagerFixture(List<CaPlugin> plugins) {
        manager = ResourceManager.create(store, Clock.systemUTC(), plugins);
    }

    /** Upserts the resource written in Universal YAML. */
    Resource<?> apply(String yaml) {
        Resource<?> r = codec.decode(codec.parseYamlDocuments(yaml).get(0));
        return upsert(r);
    }

    private <S extends Spec> Resource<S> upsert(Resource<S> r) {
        return manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty()).resource();
    }

    List<String> names(ResourceType<?> type, String mesh) {
        return manager.list(type, ListQuery.inMesh(mesh)).items().stream().map(Resource::name).toList();
    }

    static String dataplane(String mesh, String name, String service, String extraTags) {
        return """
                type: Dataplane
                mesh: %s
                name: %s
                networking:
                  address: 192.168.0.1
                  inbound:
                    - port: 10000
                      servicePort: 10001
                      tags:
                        kuma.io/service: %s
                %s
                """.formatted(mesh, name, service, extraTags);
    }
}
