package io.tidemark.promapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tidemark.promql.eval.Labels;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Prometheus' response envelopes: {@code {"status":"success","data":…}} and the error envelope. */
public final class PromResponses {

    private static final JsonFactory JSON = new JsonFactory();

    private PromResponses() {
    }

    /** Writes the {@code data} member's value. */
    @FunctionalInterface
    public interface DataWriter {
        void write(JsonGenerator json) throws IOException;
    }

    public static Response success(DataWriter data, List<String> warnings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            data.write(json);
            if (!warnings.isEmpty()) {
                json.writeArrayFieldStart("warnings");
                for (String w : warnings) {
                    json.writeString(w);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(out.toByteArray()).type(MediaType.APPLICATION_JSON).build();
    }

    public static Response success(DataWriter data) {
        return success(data, List.of());
    }

    /** The error envelope; {@code type} is one of Prometheus' error types (bad_data, execution, timeout, …). */
    public static Response error(int status, String type, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeStringField("errorType", type);
            json.writeStringField("error", message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.status(status).entity(out.toByteArray()).type(MediaType.APPLICATION_JSON).build();
    }

    public static void writeLabels(JsonGenerator json, Labels labels) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    public static void writeStrings(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    /** A {@code [<seconds>, "<value>"]} pair. */
    public static void writePoint(JsonGenerator json, long ms, double value) throws IOException {
        json.writeStartArray();
        json.writeNumber(PromJson.seconds(ms));
        json.writeString(PromJson.value(value));
        json.writeEndArray();
    }

    public static void writeMap(JsonGenerator json, Map<String, String> map) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
    }
}
