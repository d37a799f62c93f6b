package io.ursa.xds.generator;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serialized protobuf fields, for the resources shared as bytes and completed per proxy. Stateless. */
final class ProtoFields {
    private ProtoFields() {
    }

    /** The length-delimited field {@code number} holding {@code value}, as protobuf writes it: tag, length, value. */
    static byte[] lengthDelimited(int number, byte[] value) {
        byte[] field = new byte[CodedOutputStream.computeTagSize(number)
                + CodedOutputStream.computeUInt32SizeNoTag(value.length) + value.length];
        CodedOutputStream out = CodedOutputStream.newInstance(field);
        try {
            out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(value.length);
            out.writeRawBytes(value);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array of the exact size cannot overflow
        }
        return field;
    }
}
