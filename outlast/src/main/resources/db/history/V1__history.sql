-- Incident history and downsampled subject results. Portable between SQLite and PostgreSQL:
-- times are epoch milliseconds, ids are text.
CREATE TABLE incidents (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    parent_id       VARCHAR(64),
    subject_kind    VARCHAR(32)  NOT NULL,
    subject_id      VARCHAR(256) NOT NULL,
    subject_group   VARCHAR(128) NOT NULL,
    subject_name    VARCHAR(128) NOT NULL,
    vendor          VARCHAR(64),
    locations       VARCHAR(1024) NOT NULL,
    severity        VARCHAR(16)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    opened_at       BIGINT       NOT NULL,
    resolved_at     BIGINT,
    acknowledged_by VARCHAR(128)
);
CREATE INDEX incidents_opened ON incidents (opened_at);

CREATE TABLE incident_events (
    incident_id VARCHAR(64)  NOT NULL,
    seq         INTEGER      NOT NULL,
    at          BIGINT       NOT NULL,
    type        VARCHAR(32)  NOT NULL,
    message     VARCHAR(2048) NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

CREATE TABLE subject_minutes (
    subject_id     VARCHAR(256) NOT NULL,
    minute         BIGINT       NOT NULL,
    ok             BIGINT       NOT NULL,
    failed         BIGINT       NOT NULL,
    latency_sum_ms BIGINT       NOT NULL,
    PRIMARY KEY (subject_id, minute)
);
CREATE INDEX subject_minutes_minute ON subject_minutes (minute);
