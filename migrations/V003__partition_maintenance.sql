-- One row per partition-maintenance run that got the lock (start-up, schedule or CLI), on any instance:
-- the last run and its outcome are what /status/database and `partitions status` report.
CREATE TABLE partition_maintenance_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    trigger      TEXT        NOT NULL,
    instance     TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL,
    -- succeeded | degraded (some change failed or was blocked; the rest was done) | failed
    outcome      TEXT        NOT NULL,
    created      TEXT[]      NOT NULL DEFAULT '{}',
    dropped      TEXT[]      NOT NULL DEFAULT '{}',
    rows_moved   BIGINT      NOT NULL DEFAULT 0,
    problems     TEXT[]      NOT NULL DEFAULT '{}',
    warnings     TEXT[]      NOT NULL DEFAULT '{}',
    CONSTRAINT pk_partition_maintenance_runs PRIMARY KEY (id)
);
CREATE INDEX ix_partition_maintenance_runs_finished_at ON partition_maintenance_runs (finished_at DESC);
