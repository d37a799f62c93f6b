package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends the queries the {@link DnsTable} does not answer to the upstream DNS servers (the system's, from
 * {@link ResolvConf}) and returns their answers unchanged, as Kuma's CoreDNS does for what Envoy does not know. The
 * servers are tried in order (dnsjava's {@link ExtendedResolver}, each try {@link #TRY_TIMEOUT}); an answer truncated
 * over UDP is asked again over TCP. When no server answers, the client gets SERVFAIL; that is logged once as a
 * warning, and once more when forwarding works again, never per query.
 *
 * <p>Threads: called from the server's threads; answers complete on dnsjava's threads. {@code failing} is atomic.
 */
final class DnsForwarder {
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(2);

    private final List<InetSocketAddress> upstreams;
    private final Resolver resolver;
    private final Logger log;
    private final AtomicBoolean failing = new AtomicBoolean();

    DnsForwarder(List<InetSocketAddress> upstreams, Logger log) {
        this.upstreams = List.copyOf(requireNonNull(upstreams, "upstreams"));
        this.log = requireNonNull(log, "log");
        if (this.upstreams.isEmpty()) {
            this.resolver = null;
            return;
        }
        ExtendedResolver extended = new ExtendedResolver(this.upstreams.stream().map(upstream -> {
            SimpleResolver simple = new SimpleResolver(upstream);
            simple.setTimeout(TRY_TIMEOUT);
            return (Resolver) simple;
        }).toList());
        extended.setLoadBalance(false);
        extended.setRetries(1);
        extended.setTimeout(TRY_TIMEOUT.multipliedBy(this.upstreams.size()));
        this.resolver = extended;
    }

    List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** The upstream answer to {@code query} (with its id), or SERVFAIL when none came. Never fails. */
    CompletionStage<Message> forward(Message query) {
        if (resolver == null) {
            return CompletableFuture.completedFuture(DnsAnswers.reply(query, Rcode.SERVFAIL));
        }
        int id = query.getHeader().getID();
        return resolver.sendAsync(query).handle((answer, error) -> {
            if (error != null || answer == null) {
                if (failing.compareAndSet(false, true)) {
                    log.warning("could not forward a DNS query for " + query.getQuestion().getName() + " to "
                            + describe(upstreams) + " (" + (error == null ? "no answer" : rootMessage(error))
                            + "); answering SERVFAIL while the upstream servers do not answer");
                }
                return DnsAnswers.reply(query, Rcode.SERVFAIL);
            }
            if (failing.compareAndSet(true, false)) {
                log.info("forwarding DNS queries to " + describe(upstreams) + " works again");
            }
            answer.getHeader().setID(id);
            return answer;
        });
    }

    static String describe(List<InetSocketAddress> servers) {
        return servers.stream().map(DnsForwarder::describe).collect(Collectors.joining(", "));
    }

    static String describe(InetSocketAddress server) {
        String host = server.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
