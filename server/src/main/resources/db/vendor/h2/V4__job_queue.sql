-- db-scheduler's table on H2 (see the PostgreSQL twin: only the column types differ).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(250) NOT NULL,
    task_instance        VARCHAR(250) NOT NULL,
    task_data            BLOB,
    execution_time       TIMESTAMP WITH TIME ZONE,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    state                VARCHAR(100),
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
