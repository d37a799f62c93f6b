package io.ursa.dp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS server's own answers, as functions of a query: from the {@link DnsTable}, or the errors it gives itself.
 * Answers from the table are what Envoy's DNS filter gives for its inline table (which Kuma's CoreDNS asks first): A
 * records for a name's IPv4 addresses, AAAA records for its IPv6 ones, with the table's TTL, authoritative. A name of
 * the table asked for another type (or AAAA when it has no IPv6 address) gets an empty NOERROR answer, as any
 * authoritative server says "the name exists, without records of that type"; never NXDOMAIN, which would tell
 * resolvers that the name does not exist at all.
 */
final class DnsAnswers {
    private DnsAnswers() {
    }

    /** The answer from {@code table}, or empty when the name is not in it (then the query is forwarded). */
    static Optional<Message> fromTable(Message query, DnsTable table) {
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY || question.getDClass() != DClass.IN) {
            return Optional.empty();
        }
        Optional<DnsTable.Entry> entry = table.lookup(question.getName().toString());
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Message answer = reply(query, Rcode.NOERROR);
        answer.getHeader().setFlag(Flags.AA);
        int type = question.getType();
        if (type == Type.A || type == Type.AAAA || type == Type.ANY) {
            long ttl = entry.get().ttl().toSeconds();
            for (InetAddress address : entry.get().addresses()) {
                if (address instanceof Inet4Address && type != Type.AAAA) {
                    answer.addRecord(new ARecord(question.getName(), DClass.IN, ttl, address), Section.ANSWER);
                } else if (address instanceof Inet6Address && type != Type.A) {
                    answer.addRecord(new AAAARecord(question.getName(), DClass.IN, ttl, address), Section.ANSWER);
                }
            }
        }
        return Optional.of(answer);
    }

    /** An answer to {@code query} with no records and {@code rcode} (SERVFAIL when forwarding failed). */
    static Message reply(Message query, int rcode) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            answer.getHeader().setFlag(Flags.RD);
        }
        answer.getHeader().setFlag(Flags.RA);
        answer.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            answer.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return answer;
    }

    /**
     * The largest UDP answer {@code query} accepts: its EDNS payload size, or 512 bytes without EDNS (RFC 1035);
     * a longer answer is truncated (TC set) so the client asks again over TCP.
     */
    static int maxUdpLength(Message query) {
        return query.getOPT() == null ? 512 : Math.max(512, query.getOPT().getPayloadSize());
    }
}
