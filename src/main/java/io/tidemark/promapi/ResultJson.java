package io.tidemark.promapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tidemark.promql.eval.QueryResult;
import java.io.IOException;

/** A PromQL result as the {@code data} of Prometheus' query answers: {@code {"resultType":…,"result":…}}. */
final class ResultJson {

    private ResultJson() {
    }

    static void write(JsonGenerator json, QueryResult result) throws IOException {
        json.writeStartObject();
        if (result instanceof QueryResult.Scalar s) {
                json.writeStringField("resultType", "scalar");
                json.writeFieldName("result");
                PromResponses.writePoint(json, s.t(), s.v());
        } else if (result instanceof QueryResult.StringValue s) {
                json.writeStringField("resultType", "string");
                json.writeFieldName("result");
                json.writeStartArray();
                json.writeNumber(PromJson.seconds(s.t()));
                json.writeString(s.value());
                json.writeEndArray();
        } else if (result instanceof QueryResult.Vector v) {
                json.writeStringField("resultType", "vector");
                json.writeArrayFieldStart("result");
                for (QueryResult.Sample sample : v.samples()) {
                    json.writeStartObject();
                    json.writeFieldName("metric");
                    PromResponses.writeLabels(json, sample.labels());
                    json.writeFieldName("value");
                    PromResponses.writePoint(json, sample.t(), sample.v());
                    json.writeEndObject();
                }
                json.writeEndArray();
        } else if (result instanceof QueryResult.Matrix m) {
                json.writeStringField("resultType", "matrix");
                json.writeArrayFieldStart("result");
                for (QueryResult.Series series : m.series()) {
                    json.writeStartObject();
                    json.writeFieldName("metric");
                    PromResponses.writeLabels(json, series.labels());
                    json.writeArrayFieldStart("values");
                    for (int i = 0; i < series.size(); i++) {
                        PromResponses.writePoint(json, series.timestamps()[i], series.values()[i]);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
        }
        json.writeEndObject();
    }
}
