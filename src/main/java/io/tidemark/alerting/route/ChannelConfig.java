package io.tidemark.alerting.route;

import java.util.List;

/** One integration of a receiver. Template fields are null when the default template applies. */
public sealed interface ChannelConfig {

    boolean sendResolved();

    /** Alertmanager's webhook (JSON version 4) POSTed to {@code url}. */
    record Webhook(String url, boolean sendResolved) implements ChannelConfig {
    }

    /** A Slack incoming webhook: a message with blocks. */
    record Slack(String url, String channel, String username, String title, String text, boolean sendResolved)
            implements ChannelConfig {
    }

    /** PagerDuty Events API v2: trigger/resolve with a dedup key stable per notification group. */
    record PagerDuty(String url, String routingKey, String severity, String summary, boolean sendResolved)
            implements ChannelConfig {
    }

    /** SMTP with STARTTLS ({@code startTls}: required, optional, disabled) and optional auth; HTML and text parts. */
    record Email(List<String> to, String from, String host, int port, String username, String password,
            String startTls, boolean insecureSkipVerify, String subject, String html, String text, boolean sendResolved)
            implements ChannelConfig {
    }
}
