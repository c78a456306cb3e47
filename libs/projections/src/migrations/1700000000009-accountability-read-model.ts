import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accountability cases (问责): the whole case as JSON, plus the columns it is found by: its tasks
 * (a task's timeline), its findings, and the earliest due time of an obligation not yet met (the
 * `follow_up_overdue` check).
 */
export class AccountabilityReadModel1700000000009 implements MigrationInterface {
  name = 'AccountabilityReadModel1700000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_accountability_cases (
      case_id     text        PRIMARY KEY,
      title       text        NOT NULL,
      task_ids    text[]      NOT NULL,
      finding_ids text[]      NOT NULL,
      opened_at   timestamptz NOT NULL,
      open_due_at timestamptz,
      view        jsonb       NOT NULL,
      version     integer     NOT NULL,
      position    bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_accountability_cases_opened ON rm_accountability_cases (opened_at, case_id COLLATE "C")`);
    await queryRunner.query(`CREATE INDEX rm_accountability_cases_tasks ON rm_accountability_cases USING gin (task_ids)`);
    await queryRunner.query(`CREATE INDEX rm_accountability_cases_findings ON rm_accountability_cases USING gin (finding_ids)`);
    await queryRunner.query(`CREATE INDEX rm_accountability_cases_open_due ON rm_accountability_cases (open_due_at) WHERE open_due_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_accountability_cases`);
  }
}
