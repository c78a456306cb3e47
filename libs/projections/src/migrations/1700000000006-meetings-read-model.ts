import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Meetings and their decisions: who decided, who took part, who dissented (实施办法 第11条). */
export class MeetingsReadModel1700000000006 implements MigrationInterface {
  name = 'MeetingsReadModel1700000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_meetings (
      id            text        PRIMARY KEY,
      title         text        NOT NULL,
      kind          text        NOT NULL,
      convenor_id   text        NOT NULL,
      convenor_name text        NOT NULL,
      held_at       timestamptz NOT NULL,
      attendees     jsonb       NOT NULL,
      version       integer     NOT NULL,
      position      bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE rm_meeting_decisions (
      meeting_id   text        NOT NULL,
      decision_id  text        NOT NULL,
      text         text        NOT NULL,
      deciders     jsonb       NOT NULL,
      participants jsonb       NOT NULL,
      dissents     jsonb       NOT NULL,
      task_ids     jsonb       NOT NULL,
      recorded_at  timestamptz NOT NULL,
      position     bigint      NOT NULL,
      PRIMARY KEY (meeting_id, decision_id)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_meeting_decisions`);
    await queryRunner.query(`DROP TABLE rm_meetings`);
  }
}
