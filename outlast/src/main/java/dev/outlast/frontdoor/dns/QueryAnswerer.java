package dev.outlast.frontdoor.dns;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one DNS query into its answer from the {@link BuiltInZone}s, as an authoritative server without
 * recursion does.
 *
 * <p>A name a zone holds is answered with the AA bit: its {@code CNAME} for any type (RFC 1034), its
 * addresses for their type or {@code ANY}, and NOERROR with an empty answer (NODATA) for any other type.
 * Every other name is REFUSED, as are zone transfers and classes other than IN; opcodes other than QUERY get
 * NOTIMP, a message that does not parse gets FORMERR, and a message too short for a header, or that is itself
 * a response, gets nothing. Answers over UDP are cut to 512 bytes, or to the EDNS size the query offers (at
 * most {@value #EDNS_PAYLOAD}), with the TC bit set when records had to go.
 *
 * <p>Thread-safe (reads the zones' concurrent tables).
 */
final class QueryAnswerer {

    static final int EDNS_PAYLOAD = 1232;
    private static final int UDP_PAYLOAD = 512;
    private static final int TCP_PAYLOAD = 65535;
    private static final Logger log = LoggerFactory.getLogger(QueryAnswerer.class);

    private final List<BuiltInZone> zones;

    QueryAnswerer(List<BuiltInZone> zones) {
        this.zones = List.copyOf(zones);
    }

    /** The answer to {@code query} in wire form, or null when nothing should be sent back. */
    byte[] answer(byte[] query, boolean tcp) {
        Message message;
        try {
            message = new Message(query);
        } catch (IOException | RuntimeException e) {
            return malformed(query);
        }
        Header header = message.getHeader();
        if (header.getFlag(Flags.QR)) {
            return null;
        }
        Message response = new Message(header.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        out.setOpcode(header.getOpcode());
        if (header.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        Record question = message.getQuestion();
        int limit = tcp ? TCP_PAYLOAD : UDP_PAYLOAD;
        if (message.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            limit = tcp ? limit : Math.max(UDP_PAYLOAD, Math.min(EDNS_PAYLOAD, message.getOPT().getPayloadSize()));
        }
        if (header.getOpcode() != Opcode.QUERY) {
            out.setRcode(Rcode.NOTIMP);
        } else if (question == null || header.getCount(Section.QUESTION) != 1) {
            out.setRcode(Rcode.FORMERR);
        } else {
            response.addRecord(question, Section.QUESTION);
            try {
                answer(question, response);
            } catch (RuntimeException e) {
                log.warn("built-in DNS server: cannot answer {}: {}", question, e.toString());
                response.removeAllRecords(Section.ANSWER);
                out.setRcode(Rcode.SERVFAIL);
            }
        }
        return response.toWire(limit);
    }

    private void answer(Record question, Message response) {
        int type = question.getType();
        Optional<RecordSet> held = question.getDClass() == DClass.IN || question.getDClass() == DClass.ANY
                ? lookup(question.getName().toString()) : Optional.empty();
        if (held.isEmpty() || type == Type.AXFR || type == Type.IXFR) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        response.getHeader().setFlag(Flags.AA);
        RecordSet records = held.get();
        if (records.type() == RecordSet.Type.CNAME || type == Type.ANY || type == WireRecords.type(records.type())) {
            for (Record record : WireRecords.records(records, question.getName())) {
                response.addRecord(record, Section.ANSWER);
            }
        }
    }

    private Optional<RecordSet> lookup(String name) {
        for (BuiltInZone zone : zones) {
            Optional<RecordSet> records = zone.lookup(name);
            if (records.isPresent()) {
                return records;
            }
        }
        return Optional.empty();
    }

    /** FORMERR with the query's id when its header can be read; nothing otherwise, or when it is a response. */
    private static byte[] malformed(byte[] query) {
        if (query.length < Header.LENGTH) {
            return null;
        }
        Header header;
        try {
            header = new Header(query);
        } catch (IOException e) {
            return null;
        }
        if (header.getFlag(Flags.QR)) {
            return null;
        }
        Message response = new Message(header.getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(header.getOpcode());
        response.getHeader().setRcode(Rcode.FORMERR);
        return response.toWire();
    }
}
