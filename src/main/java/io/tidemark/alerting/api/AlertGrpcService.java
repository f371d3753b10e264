package io.tidemark.alerting.api;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingRequestException;
import io.tidemark.alerting.AlertingService;
import io.tidemark.alerting.rules.AnomalyForm;
import io.tidemark.alerting.rules.RuleGroup;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.rules.RuleValidationException;
import io.tidemark.alerting.rules.ThresholdForm;
import io.tidemark.alerting.silence.Silence;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.HistoryEntry;
import io.tidemark.promql.Durations;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.tidemark.proto.v1.AcknowledgeAlertRequest;
import io.tidemark.proto.v1.AcknowledgeAlertResponse;
import io.tidemark.proto.v1.Alert;
import io.tidemark.proto.v1.AlertHistoryEntry;
import io.tidemark.proto.v1.AlertHistoryRequest;
import io.tidemark.proto.v1.AlertHistoryResponse;
import io.tidemark.proto.v1.CreateSilenceRequest;
import io.tidemark.proto.v1.CreateSilenceResponse;
import io.tidemark.proto.v1.DeleteRuleGroupRequest;
import io.tidemark.proto.v1.DeleteRuleGroupResponse;
import io.tidemark.proto.v1.Direction;
import io.tidemark.proto.v1.ExpireSilenceRequest;
import io.tidemark.proto.v1.ExpireSilenceResponse;
import io.tidemark.proto.v1.GetRoutingConfigRequest;
import io.tidemark.proto.v1.GetRoutingConfigResponse;
import io.tidemark.proto.v1.GetRuleGroupRequest;
import io.tidemark.proto.v1.GetRuleGroupResponse;
import io.tidemark.proto.v1.ListAlertsRequest;
import io.tidemark.proto.v1.ListAlertsResponse;
import io.tidemark.proto.v1.ListRuleGroupsRequest;
import io.tidemark.proto.v1.ListRuleGroupsResponse;
import io.tidemark.proto.v1.ListSilencesRequest;
import io.tidemark.proto.v1.ListSilencesResponse;
import io.tidemark.proto.v1.Matcher;
import io.tidemark.proto.v1.MutinyAlertServiceGrpc;
import io.tidemark.proto.v1.PutAnomalyRuleRequest;
import io.tidemark.proto.v1.PutAnomalyRuleResponse;
import io.tidemark.proto.v1.PutRoutingConfigRequest;
import io.tidemark.proto.v1.PutRoutingConfigResponse;
import io.tidemark.proto.v1.PutRuleFileRequest;
import io.tidemark.proto.v1.PutRuleFileResponse;
import io.tidemark.proto.v1.PutThresholdRuleRequest;
import io.tidemark.proto.v1.PutThresholdRuleResponse;
import io.tidemark.proto.v1.Rule;
import io.tidemark.tenant.TenantGrpcInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The gRPC edge of alerting: protobuf to {@link AlertingService} calls and back. */
@GrpcService
public class AlertGrpcService extends MutinyAlertServiceGrpc.AlertServiceImplBase {

    private final AlertingService alerting;

    public AlertGrpcService(AlertingService alerting) {
        this.alerting = alerting;
    }

    @Override
    public Uni<PutRuleFileResponse> putRuleFile(PutRuleFileRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.putRuleFile(tenant, request.getYaml()))
                .map(groups -> PutRuleFileResponse.newBuilder().addAllGroups(groups.stream().map(AlertGrpcService::group)
                        .toList()).build());
    }

    @Override
    public Uni<PutThresholdRuleResponse> putThresholdRule(PutThresholdRuleRequest r) {
        String tenant = TenantGrpcInterceptor.current();
        ThresholdForm form = new ThresholdForm(r.getName(), r.getMetric(), r.getAggregation(), r.getTagsMap(),
                direction(r.getCondition()), r.getThreshold(), r.getDuration(), r.getChannelsList(), r.getWindow(),
                r.getGroupByList(), r.getLabelsMap(), r.getAnnotationsMap());
        return guarded(() -> alerting.putThreshold(tenant, form, r.getGroup(), r.getInterval()))
                .map(e -> PutThresholdRuleResponse.newBuilder().setGroup(group(e.getKey())).setRule(rule(e.getValue()))
                        .build());
    }

    @Override
    public Uni<PutAnomalyRuleResponse> putAnomalyRule(PutAnomalyRuleRequest r) {
        String tenant = TenantGrpcInterceptor.current();
        AnomalyForm form = new AnomalyForm(r.getName(), r.getMetric(), r.getAggregation(), r.getTagsMap(),
                direction(r.getDirection()), r.getK() == 0 ? null : r.getK(), r.getBaseline(), r.getDuration(),
                r.getChannelsList(), r.getGroupByList(), r.getLabelsMap(), r.getAnnotationsMap());
        return guarded(() -> alerting.putAnomaly(tenant, form, r.getGroup(), r.getInterval()))
                .map(e -> PutAnomalyRuleResponse.newBuilder().setGroup(group(e.getKey())).setRule(rule(e.getValue()))
                        .build());
    }

    @Override
    public Uni<ListRuleGroupsResponse> listRuleGroups(ListRuleGroupsRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.groups(tenant)).map(groups -> ListRuleGroupsResponse.newBuilder()
                .addAllGroups(groups.stream().map(v -> group(v.group())).toList()).build());
    }

    @Override
    public Uni<GetRuleGroupResponse> getRuleGroup(GetRuleGroupRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.group(tenant, request.getName()))
                .map(g -> GetRuleGroupResponse.newBuilder().setGroup(group(g)).build());
    }

    @Override
    public Uni<DeleteRuleGroupResponse> deleteRuleGroup(DeleteRuleGroupRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.deleteGroup(tenant, request.getName()))
                .map(deleted -> DeleteRuleGroupResponse.newBuilder().setDeleted(deleted).build());
    }

    @Override
    public Uni<PutRoutingConfigResponse> putRoutingConfig(PutRoutingConfigRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.putRoutingConfig(tenant, request.getYaml()))
                .map(receivers -> PutRoutingConfigResponse.newBuilder().addAllReceivers(receivers).build());
    }

    @Override
    public Uni<GetRoutingConfigResponse> getRoutingConfig(GetRoutingConfigRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.routingConfig(tenant))
                .map(yaml -> GetRoutingConfigResponse.newBuilder().setYaml(yaml.orElse("")).build());
    }

    @Override
    public Uni<ListAlertsResponse> listAlerts(ListAlertsRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.alerts(tenant)).map(list -> ListAlertsResponse.newBuilder()
                .addAllAlerts(list.stream().map(AlertGrpcService::alert).toList()).build());
    }

    @Override
    public Uni<AcknowledgeAlertResponse> acknowledgeAlert(AcknowledgeAlertRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.acknowledge(tenant, request.getFingerprint(), request.getBy(),
                request.getComment())).map(v -> AcknowledgeAlertResponse.newBuilder().setAlert(alert(v)).build());
    }

    @Override
    public Uni<AlertHistoryResponse> alertHistory(AlertHistoryRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        AlertState state = switch (request.getState()) {
            case ALERT_STATE_INACTIVE -> AlertState.INACTIVE;
            case ALERT_STATE_PENDING -> AlertState.PENDING;
            case ALERT_STATE_FIRING -> AlertState.FIRING;
            case ALERT_STATE_RESOLVED -> AlertState.RESOLVED;
            default -> null;
        };
        return guarded(() -> alerting.history(tenant, request.getRule(), state, request.getStartMs(),
                request.getEndMs(), (int) Math.min(request.getLimit(), Integer.MAX_VALUE)))
                .map(entries -> AlertHistoryResponse.newBuilder().addAllEntries(entries.stream()
                        .map(AlertGrpcService::history).toList()).build());
    }

    @Override
    public Uni<CreateSilenceResponse> createSilence(CreateSilenceRequest r) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> {
            List<LabelMatcher> matchers = new ArrayList<>();
            for (int i = 0; i < r.getMatchersCount(); i++) {
                matchers.add(matcher(r.getMatchers(i), "matchers[" + i + "]"));
            }
            return alerting.createSilence(tenant, matchers, r.getStartsAtMs(), r.getEndsAtMs(), r.getCreatedBy(),
                    r.getComment());
        }).map(s -> CreateSilenceResponse.newBuilder().setSilence(silence(s, alerting.nowMs())).build());
    }

    @Override
    public Uni<ListSilencesResponse> listSilences(ListSilencesRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        long now = alerting.nowMs();
        return guarded(() -> alerting.silences(tenant)).map(list -> ListSilencesResponse.newBuilder()
                .addAllSilences(list.stream().map(s -> silence(s, now)).toList()).build());
    }

    @Override
    public Uni<ExpireSilenceResponse> expireSilence(ExpireSilenceRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> alerting.expireSilence(tenant, request.getId()))
                .map(s -> ExpireSilenceResponse.newBuilder().setSilence(silence(s, alerting.nowMs())).build());
    }

    private static LabelMatcher matcher(Matcher m, String field) {
        MatchType type = switch (m.getType()) {
            case TYPE_EQUAL, TYPE_UNSPECIFIED -> MatchType.EQUAL;
            case TYPE_NOT_EQUAL -> MatchType.NOT_EQUAL;
            case TYPE_REGEX -> MatchType.REGEX;
            case TYPE_NOT_REGEX -> MatchType.NOT_REGEX;
            default -> throw AlertingRequestException.invalid(field + ".type", "unknown matcher type");
        };
        if (m.getName().isEmpty()) {
            throw AlertingRequestException.invalid(field + ".name", "must be set");
        }
        try {
            return LabelMatcher.of(type, m.getName(), m.getValue());
        } catch (IllegalArgumentException e) {
            throw AlertingRequestException.invalid(field + ".value", e.getMessage());
        }
    }

    private static String direction(Direction d) {
        return switch (d) {
            case DIRECTION_ABOVE -> "above";
            case DIRECTION_BELOW -> "below";
            case DIRECTION_OUTSIDE -> "outside";
            default -> null;
        };
    }

    static Rule rule(RuleSpec r) {
        Rule.Builder b = Rule.newBuilder().setExpr(r.expr()).putAllLabels(r.labels()).putAllAnnotations(r.annotations())
                .addAllChannels(r.channels()).setForm(switch (r.form()) {
                    case PROMQL -> io.tidemark.proto.v1.RuleForm.RULE_FORM_PROMQL;
                    case THRESHOLD -> io.tidemark.proto.v1.RuleForm.RULE_FORM_THRESHOLD;
                    case ANOMALY -> io.tidemark.proto.v1.RuleForm.RULE_FORM_ANOMALY;
                });
        if (r.isAlerting()) {
            b.setAlert(r.alert());
            if (r.forMs() > 0) {
                b.setFor(Durations.format(r.forMs()));
            }
            if (r.keepFiringForMs() > 0) {
                b.setKeepFiringFor(Durations.format(r.keepFiringForMs()));
            }
        } else {
            b.setRecord(r.record());
        }
        return b.build();
    }

    static io.tidemark.proto.v1.RuleGroup group(RuleGroup g) {
        return io.tidemark.proto.v1.RuleGroup.newBuilder().setName(g.name()).setInterval(Durations.format(g.intervalMs()))
                .addAllRules(g.rules().stream().map(AlertGrpcService::rule).toList()).build();
    }

    private static io.tidemark.proto.v1.AlertState state(AlertState s) {
        return switch (s) {
            case INACTIVE -> io.tidemark.proto.v1.AlertState.ALERT_STATE_INACTIVE;
            case PENDING -> io.tidemark.proto.v1.AlertState.ALERT_STATE_PENDING;
            case FIRING -> io.tidemark.proto.v1.AlertState.ALERT_STATE_FIRING;
            case RESOLVED -> io.tidemark.proto.v1.AlertState.ALERT_STATE_RESOLVED;
        };
    }

    private static Alert alert(AlertingService.AlertView v) {
        var a = v.stored().alert();
        Alert.Builder b = Alert.newBuilder().setFingerprint(a.fingerprint()).setRuleGroup(v.stored().ruleGroup())
                .setRule(v.stored().rule()).putAllLabels(a.labels()).putAllAnnotations(a.annotations())
                .setState(state(a.state())).setValue(a.value()).setActiveAtMs(a.activeAtMs())
                .setFiredAtMs(a.firedAtMs()).setResolvedAtMs(a.resolvedAtMs());
        if (v.ack() != null) {
            b.setAcknowledgedBy(v.ack().by()).setAcknowledgedAtMs(v.ack().atMs());
        }
        return b.build();
    }

    private static AlertHistoryEntry history(HistoryEntry h) {
        return AlertHistoryEntry.newBuilder().setFingerprint(h.fingerprint()).setRuleGroup(h.ruleGroup())
                .setRule(h.rule()).putAllLabels(h.labels()).setState(state(h.state())).setValue(h.value())
                .setAtMs(h.atMs()).build();
    }

    private static io.tidemark.proto.v1.Silence silence(Silence s, long now) {
        io.tidemark.proto.v1.Silence.Builder b = io.tidemark.proto.v1.Silence.newBuilder().setId(s.id())
                .setStartsAtMs(s.startsAtMs()).setEndsAtMs(s.endsAtMs()).setCreatedBy(s.createdBy())
                .setComment(s.comment()).setStatus(s.status(now));
        for (LabelMatcher m : s.matchers()) {
            b.addMatchers(Matcher.newBuilder().setName(m.name()).setValue(m.value()).setType(switch (m.type()) {
                case EQUAL -> Matcher.Type.TYPE_EQUAL;
                case NOT_EQUAL -> Matcher.Type.TYPE_NOT_EQUAL;
                case REGEX -> Matcher.Type.TYPE_REGEX;
                case NOT_REGEX -> Matcher.Type.TYPE_NOT_REGEX;
            }));
        }
        return b.build();
    }

    /** Maps refusals to gRPC statuses naming the field; anything else is UNAVAILABLE (storage) after logging. */
    private static <T> Uni<T> guarded(Supplier<Uni<T>> call) {
        Uni<T> uni;
        try {
            uni = call.get();
        } catch (RuntimeException e) {
            uni = Uni.createFrom().failure(e);
        }
        return uni.onFailure().transform(AlertGrpcService::status);
    }

    static Throwable status(Throwable f) {
        if (f instanceof RuleValidationException e) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        if (f instanceof AlertingRequestException e) {
            return (e.kind() == AlertingRequestException.Kind.NOT_FOUND ? Status.NOT_FOUND : Status.INVALID_ARGUMENT)
                    .withDescription(e.getMessage()).asRuntimeException();
        }
        if (f instanceof io.grpc.StatusRuntimeException) {
            return f;
        }
        return Status.UNAVAILABLE.withDescription("alerting: " + f.getMessage()).withCause(f).asRuntimeException();
    }
}
