import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * rm_findings: one row per finding (DOMAIN.md §5), for GET /findings. findings_detector: how far
 * the detector has read the log for its triggers, so a restart does not rescan history (rescanning
 * would be harmless, findings being recorded once, only slow).
 */
export class FindingsReadModel1700000000010 implements MigrationInterface {
  name = 'FindingsReadModel1700000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_findings (
      finding_id  text        PRIMARY KEY,
      rule        text        NOT NULL,
      task_id     text,
      case_id     text,
      unit_id     text,
      person_ids  text[]      NOT NULL,
      people      jsonb       NOT NULL,
      evidence    text[]      NOT NULL,
      detail      text        NOT NULL,
      at          timestamptz NOT NULL,
      detected_at timestamptz NOT NULL,
      status      text        NOT NULL,
      case_ids    text[]      NOT NULL DEFAULT '{}',
      position    bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX rm_findings_position_ix ON rm_findings (position)`);
    await queryRunner.query(`CREATE INDEX rm_findings_unit_ix ON rm_findings (unit_id, position)`);
    await queryRunner.query(`CREATE INDEX rm_findings_task_ix ON rm_findings (task_id, position)`);
    await queryRunner.query(`CREATE TABLE findings_detector (name text PRIMARY KEY, position bigint NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE findings_detector`);
    await queryRunner.query(`DROP TABLE rm_findings`);
  }
}
