import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each open task's board entry (summary, counts flags, actions owed), worked out when the task
 * changes so a board read is a plain index scan with nothing to compute. `json`, not `jsonb`: it
 * is only ever read whole, and text goes out of PostgreSQL without conversion.
 *
 * Read models are derived: the table is emptied and the projection (now tasks.v2) refills it from
 * the log at the next start, so existing rows never lack their entry.
 */
export class TaskBoardEntries1700000000008 implements MigrationInterface {
  name = 'TaskBoardEntries1700000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE rm_tasks`);
    await queryRunner.query(`DELETE FROM projection_checkpoints WHERE name = 'tasks.v1'`);
    await queryRunner.query(`ALTER TABLE rm_tasks ADD COLUMN board json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_tasks DROP COLUMN board`);
    await queryRunner.query(`TRUNCATE rm_tasks`);
    await queryRunner.query(`DELETE FROM projection_checkpoints WHERE name = 'tasks.v2'`);
  }
}
