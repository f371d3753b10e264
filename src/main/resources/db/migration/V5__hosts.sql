-- The hosts registry (design notes' "Hosts Table", with a tenant): one row per host id, written by
-- HostService/Heartbeat; a job marks hosts inactive after tidemark.hosts.inactive-after without a heartbeat.
CREATE TABLE hosts (
    tenant          text         NOT NULL,
    host_id         uuid         NOT NULL,
    hostname        varchar(255) NOT NULL,
    ip_address      varchar(45)  NOT NULL DEFAULT '',
    environment     varchar(50)  NOT NULL DEFAULT '',
    datacenter      varchar(50)  NOT NULL DEFAULT '',
    agent_version   varchar(20)  NOT NULL DEFAULT '',
    last_seen       timestamptz  NOT NULL,
    status          text         NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'inactive', 'decommissioned')),
    tags            jsonb        NOT NULL DEFAULT '{}',
    buffer_depth    bigint       NOT NULL DEFAULT 0,
    samples_dropped bigint       NOT NULL DEFAULT 0,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, host_id)
);

CREATE UNIQUE INDEX hosts_hostname ON hosts (tenant, hostname);
CREATE INDEX hosts_status_last_seen ON hosts (status, last_seen);
CREATE INDEX hosts_tags ON hosts USING gin (tags);
