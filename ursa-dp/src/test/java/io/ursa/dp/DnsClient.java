package io.ursa.dp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/** Real DNS queries over UDP (or TCP) with dnsjava's resolver, as an application's resolver sends them. */
final class DnsClient {
    private final SimpleResolver resolver;

    DnsClient(InetSocketAddress server) {
        resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(10));
    }

    DnsClient overTcp() {
        resolver.setTCP(true);
        return this;
    }

    /** The answer to {@code name} (absolute or relative to the root) of {@code type} ({@code Type.A}). */
    Message query(String name, int type) throws IOException {
        Name absolute = Name.fromString(name.endsWith(".") ? name : name + ".");
        return resolver.send(Message.newQuery(Record.newRecord(absolute, type, DClass.IN)));
    }

    /** The answer records of {@code answer} as {@code rdata} text ({@code 240.0.0.3}). */
    static List<String> addresses(Message answer) {
        return answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }
}
