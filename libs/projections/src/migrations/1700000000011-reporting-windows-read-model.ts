import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting windows (敏感时期零报告): rm_reporting_windows, one row per window, with the earliest
 * cut-off at which a listed unit has neither filed nor been recorded as missing (what the
 * reporting scheduler looks for); rm_reporting_days, one row per unit and day something happened
 * on (a report, a miss, or both). Days are Beijing calendar days kept as text YYYY-MM-DD.
 */
export class ReportingWindowsReadModel1700000000011 implements MigrationInterface {
  name = 'ReportingWindowsReadModel1700000000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_reporting_windows (
      window_id   text        PRIMARY KEY,
      name        text        NOT NULL,
      from_day    text        NOT NULL,
      to_day      text        NOT NULL,
      cutoff      text        NOT NULL,
      unit_ids    text[]      NOT NULL,
      opened_at   timestamptz NOT NULL,
      opened_by   jsonb,
      next_due_at timestamptz,
      version     integer     NOT NULL,
      position    bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_reporting_windows_opened ON rm_reporting_windows (opened_at, window_id COLLATE "C")`);
    await queryRunner.query(`CREATE INDEX rm_reporting_windows_units ON rm_reporting_windows USING gin (unit_ids)`);
    await queryRunner.query(`CREATE INDEX rm_reporting_windows_due ON rm_reporting_windows (next_due_at) WHERE next_due_at IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE rm_reporting_days (
      window_id       text        NOT NULL,
      unit_id         text        NOT NULL,
      day             text        NOT NULL,
      filed_at        timestamptz,
      late            boolean,
      nil             boolean,
      item_count      integer,
      report_event_id text,
      missed_at       timestamptz,
      missed_event_id text,
      PRIMARY KEY (window_id, unit_id, day)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_reporting_days`);
    await queryRunner.query(`DROP TABLE rm_reporting_windows`);
  }
}
