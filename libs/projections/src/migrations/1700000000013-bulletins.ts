import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly bulletins and annual statistics (DOMAIN.md §7, 条例 41). rm_task_facts: one row per task
 * event a month or a year is counted by (issued, reassigned, overdue, sent back, progress report
 * missed, closed, reminder, escalated), dated by its business moment and charged to the unit that
 * led the task then (or that missed the report): rm_tasks holds only each task's present state.
 * rm_bulletins: one row per issued bulletin with the reply GET /bulletins/{period} serves, built
 * once from the frozen event; `json`, not `jsonb`, so it goes out as it was stored.
 */
export class Bulletins1700000000013 implements MigrationInterface {
  name = 'Bulletins1700000000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_task_facts (
      event_id text        PRIMARY KEY,
      task_id  text        NOT NULL,
      unit_id  text        NOT NULL,
      fact     text        NOT NULL,
      at       timestamptz NOT NULL,
      due_at   timestamptz,
      on_time  boolean,
      level    text,
      position bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_task_facts_at ON rm_task_facts (at, fact)`);
    await queryRunner.query(`CREATE INDEX rm_task_facts_task ON rm_task_facts (task_id, position)`);
    await queryRunner.query(`CREATE TABLE rm_bulletins (
      period           text        PRIMARY KEY,
      period_start     timestamptz NOT NULL,
      issued_at        timestamptz NOT NULL,
      issued_by        jsonb       NOT NULL,
      unit_count       integer     NOT NULL,
      flagged_unit_ids text[]      NOT NULL,
      event_id         text        NOT NULL,
      reply            json        NOT NULL,
      position         bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_bulletins_start ON rm_bulletins (period_start, period COLLATE "C")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_bulletins`);
    await queryRunner.query(`DROP TABLE rm_task_facts`);
  }
}
