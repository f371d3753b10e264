package io.tidemark.alerting.notify;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends one rendered message over its protocol: an HTTP POST of JSON (webhook, Slack, PagerDuty; any 2xx is
 * success) or a mail over SMTP with STARTTLS and auth as configured. A failure is a {@link DeliveryException}.
 */
@Singleton
public class ChannelSender {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    // HTTP/1.1: no h2c upgrade attempt on plain http (receivers are plain webhook servers)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx vertx;
    private final Map<String, MailClient> mailClients = new ConcurrentHashMap<>();

    public ChannelSender(Vertx vertx) {
        this.vertx = vertx;
    }

    public Uni<Void> send(String channel, JsonObject target, JsonObject payload) {
        return switch (channel) {
            case "webhook", "slack", "pagerduty" -> post(target.getString("url"), payload);
            case "email" -> mail(target, payload);
            default -> Uni.createFrom().failure(new DeliveryException("unknown channel " + channel));
        };
    }

    private Uni<Void> post(String url, JsonObject payload) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "Tidemark")
                    .POST(HttpRequest.BodyPublishers.ofString(payload.encode())).build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new DeliveryException("bad url " + url + ": " + e.getMessage()));
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(f -> new DeliveryException("POST " + url + ": " + f, f))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        String body = response.body() == null ? "" : response.body();
                        throw new DeliveryException("POST " + url + ": HTTP " + response.statusCode() + " "
                                + body.substring(0, Math.min(200, body.length())));
                    }
                    return null;
                });
    }

    private Uni<Void> mail(JsonObject target, JsonObject payload) {
        MailClient client = mailClients.computeIfAbsent(target.encode(), k -> MailClient.create(vertx, config(target)));
        List<String> to = new ArrayList<>();
        JsonArray addresses = target.getJsonArray("to");
        for (int i = 0; i < addresses.size(); i++) {
            to.add(addresses.getString(i));
        }
        MailMessage message = new MailMessage().setFrom(target.getString("from")).setTo(to)
                .setSubject(payload.getString("subject")).setText(payload.getString("text"))
                .setHtml(payload.getString("html"));
        return client.sendMail(message)
                .onFailure().transform(f -> new DeliveryException("SMTP " + target.getString("host") + ":"
                        + target.getInteger("port") + ": " + f.getMessage(), f))
                .replaceWithVoid();
    }

    private static MailConfig config(JsonObject target) {
        MailConfig config = new MailConfig().setHostname(target.getString("host")).setPort(target.getInteger("port"))
                .setStarttls(switch (target.getString("starttls", "required")) {
                    case "disabled" -> StartTLSOptions.DISABLED;
                    case "optional" -> StartTLSOptions.OPTIONAL;
                    default -> StartTLSOptions.REQUIRED;
                })
                .setTrustAll(target.getBoolean("insecure", false)).setKeepAlive(false);
        String user = target.getString("username");
        if (user != null) {
            config.setUsername(user).setPassword(target.getString("password", "")).setLogin(LoginOption.REQUIRED);
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        return config;
    }

    @PreDestroy
    void close() {
        mailClients.values().forEach(MailClient::closeAndForget);
    }
}
