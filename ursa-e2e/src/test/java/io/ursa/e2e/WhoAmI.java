package io.ursa.e2e;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one-method gRPC service every test application serves: {@code ursa.e2e.WhoAmI/Name} answers the name of the
 * instance that took the call, so a client can count where its calls land. Strings travel as UTF-8 (no protoc).
 */
final class WhoAmI {
    static final String SERVICE = "ursa.e2e.WhoAmI";
    static final MethodDescriptor<String, String> NAME = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Name"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private WhoAmI() {
    }

    /** The service of an instance that answers {@code instance}. */
    static ServerServiceDefinition service(String instance) {
        requireNonNull(instance, "instance");
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(NAME, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(instance);
                    response.onCompleted();
                }))
                .build();
    }

    /** One call: the name of the instance that answered. Throws {@code StatusRuntimeException} on failure. */
    static String call(Channel channel, Duration deadline) {
        return ClientCalls.blockingUnaryCall(channel, NAME, options(deadline), "who");
    }

    /** One call with the default deadline. */
    static String call(Channel channel) {
        return call(channel, DEADLINE);
    }

    /**
     * {@code calls} calls in flight at once: how many each instance answered, by instance name (sorted). A failed
     * call fails the whole count with its status.
     */
    static Map<String, Long> count(Channel channel, int calls) throws InterruptedException {
        List<ListenableFuture<String>> pending = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            pending.add(ClientCalls.futureUnaryCall(channel.newCall(NAME, options(DEADLINE)), "who"));
        }
        Map<String, Long> answers = new TreeMap<>();
        for (ListenableFuture<String> call : pending) {
            try {
                answers.merge(call.get(DEADLINE.toMillis() + 1_000, TimeUnit.MILLISECONDS), 1L, Long::sum);
            } catch (ExecutionException e) {
                throw new AssertionError("a call failed after " + answers + " answered: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("a call did not finish after " + answers + " answered", e);
            }
        }
        return answers;
    }

    private static CallOptions options(Duration deadline) {
        return CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
