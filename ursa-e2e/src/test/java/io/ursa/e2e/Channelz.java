package io.ursa.e2e;

import io.grpc.channelz.v1.Channel;
import io.grpc.channelz.v1.GetSubchannelRequest;
import io.grpc.channelz.v1.GetSubchannelResponse;
import io.grpc.channelz.v1.GetTopChannelsRequest;
import io.grpc.channelz.v1.GetTopChannelsResponse;
import io.grpc.channelz.v1.SubchannelRef;
import io.grpc.protobuf.services.ChannelzService;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What channelz (the view {@code grpcdebug} and channelz pages give an operator) shows of the channels of this
 * JVM: the endpoints a client channel holds, as the ports of its subchannels. A channel has one subchannel per
 * endpoint it was given, connected or not, so an endpoint the control plane withdrew disappears from here even
 * though calls would already avoid it once it stopped answering.
 */
final class Channelz {
    private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    private static final ChannelzService CHANNELZ = ChannelzService.newInstance(1000);

    private Channelz() {
    }

    /** The ports of the endpoints held by the only open channel to {@code target} (e.g. {@code xds:///backend}). */
    static Set<Integer> endpointPorts(String target) {
        GetTopChannelsResponse top = call(o -> CHANNELZ.getTopChannels(GetTopChannelsRequest.getDefaultInstance(), o));
        if (!top.getEnd()) {
            throw new AssertionError("more channels than one channelz page holds");
        }
        List<Channel> matching = top.getChannelList().stream()
                .filter(c -> c.getData().getTarget().equals(target))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one channel to " + target + ", channelz shows " + matching.size());
        }
        Set<Integer> ports = new TreeSet<>();
        for (SubchannelRef ref : matching.get(0).getSubchannelRefList()) {
            GetSubchannelResponse subchannel = call(o -> CHANNELZ.getSubchannel(GetSubchannelRequest.newBuilder()
                    .setSubchannelId(ref.getSubchannelId()).build(), o));
            Matcher port = LOOPBACK_PORT.matcher(subchannel.getSubchannel().getData().getTarget());
            while (port.find()) {
                ports.add(Integer.parseInt(port.group(1)));
            }
        }
        return ports;
    }

    /** Calls a channelz method in process; the service answers before it returns. */
    private static <T> T call(Consumer<StreamObserver<T>> method) {
        Answer<T> answer = new Answer<>();
        method.accept(answer);
        if (answer.error != null) {
            throw new AssertionError("channelz failed: " + answer.error, answer.error);
        }
        if (answer.value == null) {
            throw new AssertionError("channelz did not answer");
        }
        return answer.value;
    }

    private static final class Answer<T> implements StreamObserver<T> {
        T value;
        Throwable error;

        @Override
        public void onNext(T value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable t) {
            this.error = t;
        }

        @Override
        public void onCompleted() {
        }
    }
}
