package io.ursa.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.access.Access;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.manager.DefaultAccess;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Role matching as a table: who, what, the answer; then audit selection and how soon a change counts. */
class AuthorizerTest {
    private static final String ROLES = """
            type: AccessRole
            name: traffic-a
            rules:
            - types: [TrafficRoute]
              mesh: a
              access: [CREATE, UPDATE, DELETE]
            ---
            type: AccessRole
            name: route-1-only
            rules:
            - types: [TrafficRoute]
              names: [route-1]
              access: [UPDATE]
            ---
            type: AccessRole
            name: mesh-a-owner
            rules:
            - types: [Mesh]
              mesh: a
              access: [CREATE, UPDATE, DELETE]
            - types: [Secret]
              mesh: a
              access: [CREATE]
            ---
            type: AccessRole
            name: dataplane-tokens-a
            rules:
            - mesh: a
              access: [GENERATE_DATAPLANE_TOKEN]
            ---
            type: AccessRole
            name: user-tokens
            rules:
            - access: [GENERATE_USER_TOKEN]
            ---
            type: AccessRole
            name: user-tokens-in-a
            rules:
            - mesh: a
              access: [GENERATE_USER_TOKEN]
            - types: [GlobalSecret]
              names: [x]
              access: [DELETE]
            ---
            type: AccessRoleBinding
            name: team-a
            subjects:
            - {type: Group, name: team-a}
            roles: [traffic-a, dataplane-tokens-a]
            ---
            type: AccessRoleBinding
            name: people
            subjects:
            - {type: User, name: bob}
            roles: [route-1-only]
            ---
            type: AccessRoleBinding
            name: owners
            subjects:
            - {type: User, name: carol}
            roles: [mesh-a-owner]
            ---
            type: AccessRoleBinding
            name: token-issuers
            subjects:
            - {type: User, name: dave}
            roles: [user-tokens]
            ---
            type: AccessRoleBinding
            name: narrow-token-issuers
            subjects:
            - {type: User, name: erin}
            roles: [user-tokens-in-a]
            ---
            type: AccessRoleBinding
            name: dangling
            subjects:
            - {type: Group, name: team-b}
            roles: [no-such-role]
            """;

    private static final User ALICE = new User("alice", List.of("team-a"));
    private static final User ALICE_ALONE = new User("alice", List.of());
    private static final User NAMED_LIKE_GROUP = new User("team-a", List.of());
    private static final User BOB = new User("bob", List.of());
    private static final User CAROL = new User("carol", List.of());
    private static final User DAVE = new User("dave", List.of());
    private static final User ERIN = new User("erin", List.of());
    private static final User FRANK = new User("frank", List.of("team-b"));

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
            List.of());
    private Authorizer authorizer;

    @BeforeEach
    void seed() {
        apply(ROLES);
        authorizer = Authorizer.create(manager);
    }

    @AfterEach
    void close() {
        authorizer.close();
    }

    private void apply(String yaml) {
        codec.parseYamlDocuments(yaml).forEach(doc -> upsert(codec.decode(doc)));
    }

    private <S extends Spec> void upsert(Resource<S> r) {
        manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty());
    }

    /** One row: a description, the question, the expected answer. */
    private static Arguments row(String what, Predicate<Authorizer> question, boolean expected) {
        return Arguments.of(what, question, expected);
    }

    private static Predicate<Authorizer> may(User user, Access access, ResourceType<?> type, String mesh,
                                             String name) {
        return a -> a.allows(user, access, type, mesh, name);
    }

    private static Predicate<Authorizer> mayRead(User user, ResourceType<?> type, String mesh, String name) {
        return a -> a.mayRead(user, type, mesh, name);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // types and mesh
                row("group's role: TrafficRoute in a", may(ALICE, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a",
                        "r1"), true),
                row("not in mesh b", may(ALICE, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "b", "r1"), false),
                row("not another type", may(ALICE, Access.CREATE, ResourceTypes.TRAFFIC_PERMISSION, "a", "p"), false),
                row("not the Mesh a itself", may(ALICE, Access.UPDATE, ResourceTypes.MESH, "", "a"), false),
                row("not an access the rule lacks", may(BOB, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a",
                        "route-1"), false),
                // groups versus users
                row("the same name without the group", may(ALICE_ALONE, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE,
                        "a", "r1"), false),
                row("a user named like the group", may(NAMED_LIKE_GROUP, Access.CREATE,
                        ResourceTypes.TRAFFIC_ROUTE, "a", "r1"), false),
                row("a binding to a missing role grants nothing", may(FRANK, Access.CREATE,
                        ResourceTypes.TRAFFIC_ROUTE, "a", "r1"), false),
                // names
                row("a named resource in any mesh", may(BOB, Access.UPDATE, ResourceTypes.TRAFFIC_ROUTE, "b",
                        "route-1"), true),
                row("not another name", may(BOB, Access.UPDATE, ResourceTypes.TRAFFIC_ROUTE, "a", "route-2"), false),
                // a Mesh is in its own mesh
                row("Mesh a by its own name", may(CAROL, Access.UPDATE, ResourceTypes.MESH, "", "a"), true),
                row("Mesh a whatever mesh the caller passes", may(CAROL, Access.DELETE, ResourceTypes.MESH, "b", "a"),
                        true),
                row("not Mesh b", may(CAROL, Access.DELETE, ResourceTypes.MESH, "", "b"), false),
                row("owning Mesh a is not owning its policies", may(CAROL, Access.CREATE,
                        ResourceTypes.TRAFFIC_ROUTE, "a", "r1"), false),
                // reads
                row("open reads", mayRead(User.ANONYMOUS, ResourceTypes.TRAFFIC_ROUTE, "b", "r1"), true),
                row("a secret needs a write rule", mayRead(ALICE, ResourceTypes.SECRET, "a", "s"), false),
                row("a CREATE rule reads a secret", mayRead(CAROL, ResourceTypes.SECRET, "a", "s"), true),
                row("and lists its mesh's secrets", mayRead(CAROL, ResourceTypes.SECRET, "a", ""), true),
                row("but not every mesh's", mayRead(CAROL, ResourceTypes.SECRET, "", ""), false),
                row("nor another mesh's", mayRead(CAROL, ResourceTypes.SECRET, "b", "s"), false),
                row("a named GlobalSecret rule reads it", mayRead(ERIN, ResourceTypes.GLOBAL_SECRET, "", "x"), true),
                row("but not the list", mayRead(ERIN, ResourceTypes.GLOBAL_SECRET, "", ""), false),
                row("and not another one", mayRead(ERIN, ResourceTypes.GLOBAL_SECRET, "", "y"), false),
                row("anonymous reads no secret", mayRead(User.ANONYMOUS, ResourceTypes.SECRET, "a", "s"), false),
                // token generation
                row("dataplane tokens of a", a -> a.allowsDataplaneToken(ALICE, "a"), true),
                row("not of b", a -> a.allowsDataplaneToken(ALICE, "b"), false),
                row("not without the access", a -> a.allowsDataplaneToken(CAROL, "a"), false),
                row("user tokens", a -> a.allowsUserToken(DAVE), true),
                row("not from a rule limited to a mesh", a -> a.allowsUserToken(ERIN), false),
                row("not from a dataplane-token rule", a -> a.allowsUserToken(ALICE), false),
                row("anonymous nothing", may(User.ANONYMOUS, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a", "r1"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void answersFromTheRolesBoundToTheUserAndItsGroups(String what, Predicate<Authorizer> question,
                                                       boolean expected) {
        assertThat(question.test(authorizer)).as(what).isEqualTo(expected);
    }

    @Test
    void theDefaultAdminRoleGrantsTheAdminGroupEverything() {
        assertThat(authorizer.allows(User.ADMIN, Access.DELETE, ResourceTypes.MESH, "", "default")).isFalse();
        DefaultAccess.ensure(manager);

        for (Access access : List.of(Access.CREATE, Access.UPDATE, Access.DELETE)) {
            assertThat(authorizer.allows(User.ADMIN, access, ResourceTypes.SECRET, "any", "s")).isTrue();
            assertThat(authorizer.allows(User.ADMIN, access, ResourceTypes.GLOBAL_SECRET, "", "g")).isTrue();
        }
        assertThat(authorizer.mayRead(User.ADMIN, ResourceTypes.SECRET, "", "")).isTrue();
        assertThat(authorizer.allowsDataplaneToken(User.ADMIN, "a")).isTrue();
        assertThat(authorizer.allowsUserToken(User.ADMIN)).isTrue();
        assertThat(authorizer.allowsUserToken(User.ANONYMOUS)).isFalse();
    }

    @Test
    void aNewBindingCountsAtTheNextQuestionAndADeletedOneStopsCounting() {
        User grace = new User("grace", List.of("auditors"));
        assertThat(authorizer.allows(grace, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isFalse();

        apply("""
                type: AccessRoleBinding
                name: grace
                subjects:
                - {type: User, name: grace}
                roles: [traffic-a]
                """);
        assertThat(authorizer.allows(grace, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isTrue();

        apply("""
                type: AccessRole
                name: traffic-a
                rules:
                - types: [TrafficRoute]
                  mesh: b
                  access: [CREATE]
                """);
        assertThat(authorizer.allows(grace, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isFalse();
        assertThat(authorizer.allows(grace, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "b", "r")).isTrue();

        manager.delete(ResourceTypes.ACCESS_ROLE_BINDING, "", "grace");
        assertThat(authorizer.allows(grace, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "b", "r")).isFalse();
    }

    @Test
    void aStoreResyncDropsTheCache() {
        // A store that loses the change and then says so, as the PostgreSQL store does after its feed was down
        MemoryResourceStore real = new MemoryResourceStore();
        java.util.List<io.ursa.core.event.ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.ursa.core.store.ResourceStore lossy = (io.ursa.core.store.ResourceStore) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {io.ursa.core.store.ResourceStore.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("subscribe")) {
                                listeners.add((io.ursa.core.event.ChangeListener) args[0]);
                                return (AutoCloseable) () -> { };
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        ResourceManager lossyManager = ResourceManager.create(lossy, Clock.systemUTC(), List.of());
        io.ursa.core.manager.DefaultAccess.ensure(lossyManager);
        try (Authorizer cached = Authorizer.create(lossyManager)) {
            User grace = new User("grace", List.of());
            assertThat(cached.allowsUserToken(grace)).isFalse();
            real.create(codec.decode(codec.parseYamlDocuments("""
                    type: AccessRoleBinding
                    name: grace-admin
                    subjects:
                    - {type: User, name: grace}
                    roles: [admin]
                    """).get(0)));
            assertThat(cached.allowsUserToken(grace)).as("the change was lost: the cache still answers").isFalse();

            listeners.forEach(io.ursa.core.event.ChangeListener::onResync);

            assertThat(cached.allowsUserToken(grace)).isTrue();
        }
    }

    @Test
    void theDefaultAuditSelectsEverythingAndANarrowOneOnlyWhatItNames() {
        assertThat(authorizer.audits(Access.CREATE.name(), ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isFalse();
        DefaultAccess.ensure(manager);
        assertThat(authorizer.audits(Authorizer.READ, ResourceTypes.SECRET, "a", "s")).isTrue();
        assertThat(authorizer.auditsTokenIssue(Access.GENERATE_USER_TOKEN, "")).isTrue();

        manager.delete(ResourceTypes.ACCESS_AUDIT, "", "default");
        apply("""
                type: AccessAudit
                name: routes-of-a
                rules:
                - types: [TrafficRoute, Mesh]
                  mesh: a
                  access: [CREATE]
                - mesh: b
                  access: [GENERATE_DATAPLANE_TOKEN]
                """);

        assertThat(authorizer.audits("CREATE", ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isTrue();
        assertThat(authorizer.audits("CREATE", ResourceTypes.MESH, "", "a")).as("a Mesh is in its own mesh").isTrue();
        assertThat(authorizer.audits("UPDATE", ResourceTypes.TRAFFIC_ROUTE, "a", "r")).isFalse();
        assertThat(authorizer.audits("CREATE", ResourceTypes.TRAFFIC_ROUTE, "b", "r")).isFalse();
        assertThat(authorizer.audits("CREATE", ResourceTypes.TRAFFIC_PERMISSION, "a", "p")).isFalse();
        assertThat(authorizer.audits(Authorizer.READ, ResourceTypes.TRAFFIC_ROUTE, "a", "r"))
                .as("reads only with accessAll").isFalse();
        assertThat(authorizer.auditsTokenIssue(Access.GENERATE_DATAPLANE_TOKEN, "b")).isTrue();
        assertThat(authorizer.auditsTokenIssue(Access.GENERATE_DATAPLANE_TOKEN, "a")).isFalse();
        assertThat(authorizer.auditsTokenIssue(Access.GENERATE_USER_TOKEN, "")).isFalse();
    }

    @Test
    void userNamesItselfAsKumaDoesAndDropsRepeatedGroups() {
        assertThat(new User("alice", List.of("team-a", "team-a", User.AUTHENTICATED_GROUP)).describe())
                .isEqualTo("alice/team-a,mesh-system:authenticated");
        assertThat(User.ADMIN.describe()).isEqualTo("mesh-system:admin/mesh-system:admin");
        assertThat(User.ANONYMOUS.describe()).isEqualTo("mesh-system:anonymous/mesh-system:unauthenticated");
        assertThat(BOB.withGroup(User.AUTHENTICATED_GROUP).withGroup(User.AUTHENTICATED_GROUP).groups())
                .containsExactly(User.AUTHENTICATED_GROUP);
    }
}
