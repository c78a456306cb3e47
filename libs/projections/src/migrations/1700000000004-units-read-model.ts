import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Member units and every term anyone held a post in them (who was in charge when). */
export class UnitsReadModel1700000000004 implements MigrationInterface {
  name = 'UnitsReadModel1700000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_units (
      unit_id       text        PRIMARY KEY,
      name          text        NOT NULL,
      kind          text        NOT NULL,
      parent_id     text,
      registered_at timestamptz NOT NULL,
      version       integer     NOT NULL,
      position      bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE rm_unit_posts (
      unit_id   text        NOT NULL,
      person_id text        NOT NULL,
      name      text        NOT NULL,
      post      text        NOT NULL,
      from_at   timestamptz NOT NULL,
      to_at     timestamptz,
      reason    text,
      PRIMARY KEY (unit_id, person_id, post, from_at)
    )`);
    await queryRunner.query(`CREATE INDEX rm_unit_posts_person_ix ON rm_unit_posts (person_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_unit_posts`);
    await queryRunner.query(`DROP TABLE rm_units`);
  }
}
