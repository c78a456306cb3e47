import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per 督办 task: the folded state (the same evolve the write side uses) plus the columns
 * that lists, boards and the deadline scheduler filter on.
 */
export class TasksReadModel1700000000007 implements MigrationInterface {
  name = 'TasksReadModel1700000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_tasks (
      task_id         text        PRIMARY KEY,
      status          text        NOT NULL,
      lead_unit_id    text        NOT NULL,
      unit_ids        text[]      NOT NULL,
      due_at          timestamptz NOT NULL,
      rag             text        NOT NULL,
      escalation      text        NOT NULL,
      overdue         boolean     NOT NULL,
      check_at        timestamptz,
      approaching_for timestamptz,
      version         integer     NOT NULL,
      position        bigint      NOT NULL,
      state           jsonb       NOT NULL
    )`);
    // Without fastupdate: every progress report rewrites its task's row, and a GIN pending list
    // that every board read must scan made the unit board several times slower under writes.
    await queryRunner.query(`CREATE INDEX rm_tasks_units_ix ON rm_tasks USING gin (unit_ids) WITH (fastupdate = off)`);
    await queryRunner.query(`CREATE INDEX rm_tasks_due_ix ON rm_tasks (due_at, task_id)`);
    await queryRunner.query(`CREATE INDEX rm_tasks_check_ix ON rm_tasks (check_at) WHERE check_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX rm_tasks_approaching_ix ON rm_tasks (approaching_for) WHERE approaching_for IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_tasks`);
  }
}
