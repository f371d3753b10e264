package io.tidemark.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.smallrye.mutiny.Uni;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.tidemark.promql.eval.QueryLimitException;
import io.tidemark.promql.eval.RawSeries;
import io.tidemark.promql.eval.SelectRequest;
import io.tidemark.query.QueryException;
import io.tidemark.query.RawSeriesReader;
import io.tidemark.remote.proto.Label;
import io.tidemark.remote.proto.Query;
import io.tidemark.remote.proto.QueryResult;
import io.tidemark.remote.proto.ReadRequest;
import io.tidemark.remote.proto.ReadResponse;
import io.tidemark.remote.proto.Sample;
import io.tidemark.remote.proto.TimeSeries;
import io.tidemark.promapi.PromqlExecutor;
import io.tidemark.tenant.Tenants;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/read}: Prometheus remote read with the sampled response: every query's series with their raw
 * samples (staleness markers included, as Prometheus returns them), so a Prometheus can use Tidemark as long-term
 * storage. The streamed-chunks response type is not offered; a client that accepts only it gets a 400.
 */
@Path("/api/v1/read")
public class RemoteReadResource {

    private static final Logger LOG = Logger.getLogger(RemoteReadResource.class);

    private final RawSeriesReader reader;
    private final IngestConfig ingestConfig;
    private final PromqlExecutor promql;

    public RemoteReadResource(RawSeriesReader reader, IngestConfig ingestConfig, PromqlExecutor promql) {
        this.reader = reader;
        this.ingestConfig = ingestConfig;
        this.promql = promql;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> read(@HeaderParam(Tenants.HEADER) String tenantHeader, byte[] body) {
        String tenant;
        ReadRequest request;
        List<SelectRequest> selects = new ArrayList<>();
        try {
            tenant = Tenants.resolve(tenantHeader);
            request = ReadRequest.parseFrom(Snappy.decompress(body, ingestConfig.maxBatchBytes()));
            checkResponseTypes(request);
            for (int i = 0; i < request.getQueriesCount(); i++) {
                selects.add(select(request.getQueries(i), i));
            }
        } catch (RemoteRequestException e) {
            return Uni.createFrom().item(RemoteWriteResource.text(e.status(), e.getMessage()));
        } catch (InvalidProtocolBufferException e) {
            return Uni.createFrom().item(RemoteWriteResource.text(400, "the body is not a remote-read ReadRequest: "
                    + e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(RemoteWriteResource.text(400, e.getMessage()));
        }
        RawSeriesReader.Budget budget = promql.budget(promql.timeoutMs(null));
        Uni<List<QueryResult>> results = Uni.createFrom().item(new ArrayList<>());
        for (SelectRequest select : selects) {
            results = results.chain(acc -> reader.select(tenant, select, budget).map(series -> {
                acc.add(result(series));
                return acc;
            }));
        }
        return results.map(all -> {
            byte[] raw = ReadResponse.newBuilder().addAllResults(all).build().toByteArray();
            return Response.ok(Snappy.compress(raw)).type("application/x-protobuf")
                    .header("Content-Encoding", "snappy").build();
        }).onFailure().recoverWithItem(RemoteReadResource::failure);
    }

    private static void checkResponseTypes(ReadRequest request) {
        List<ReadRequest.ResponseType> accepted = request.getAcceptedResponseTypesList();
        if (!accepted.isEmpty() && !accepted.contains(ReadRequest.ResponseType.SAMPLES)) {
            throw RemoteRequestException.badData("accepted_response_types " + accepted
                    + ": only SAMPLES is served");
        }
    }

    static SelectRequest select(Query query, int index) {
        if (query.getEndTimestampMs() < query.getStartTimestampMs()) {
            throw RemoteRequestException.badData("queries[" + index + "]: end_timestamp_ms is before start_timestamp_ms");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (int m = 0; m < query.getMatchersCount(); m++) {
            io.tidemark.remote.proto.LabelMatcher pm = query.getMatchers(m);
            MatchType type = switch (pm.getType()) {
                case EQ -> MatchType.EQUAL;
                case NEQ -> MatchType.NOT_EQUAL;
                case RE -> MatchType.REGEX;
                case NRE -> MatchType.NOT_REGEX;
                default -> throw RemoteRequestException.badData("queries[" + index + "].matchers[" + m
                        + "].type: unknown matcher type " + pm.getTypeValue());
            };
            try {
                matchers.add(LabelMatcher.of(type, pm.getName(), pm.getValue()));
            } catch (IllegalArgumentException e) {
                throw RemoteRequestException.badData("queries[" + index + "].matchers[" + m + "].value: "
                        + e.getMessage());
            }
        }
        if (matchers.stream().allMatch(lm -> lm.matches(""))) {
            throw RemoteRequestException.badData("queries[" + index
                    + "].matchers: at least one matcher must not match the empty string");
        }
        return new SelectRequest(matchers, query.getStartTimestampMs(), query.getEndTimestampMs());
    }

    private static QueryResult result(List<RawSeries> series) {
        QueryResult.Builder result = QueryResult.newBuilder();
        for (RawSeries s : series) {
            TimeSeries.Builder ts = result.addTimeseriesBuilder();
            for (int i = 0; i < s.labels().size(); i++) {
                ts.addLabels(Label.newBuilder().setName(s.labels().name(i)).setValue(s.labels().value(i)));
            }
            for (int i = 0; i < s.size(); i++) {
                ts.addSamples(Sample.newBuilder().setTimestamp(s.timestamps()[i]).setValue(s.values()[i]));
            }
        }
        return result.build();
    }

    private static Response failure(Throwable failure) {
        if (failure instanceof QueryLimitException) {
            return RemoteWriteResource.text(413, failure.getMessage());
        }
        if (failure instanceof QueryException q && q.kind() == QueryException.Kind.TIMEOUT) {
            return RemoteWriteResource.text(503, q.getMessage());
        }
        LOG.warn("remote read failed", failure);
        return RemoteWriteResource.text(500, "remote read failed: " + failure);
    }
}
