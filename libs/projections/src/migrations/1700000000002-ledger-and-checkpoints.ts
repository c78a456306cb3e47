import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signed Merkle checkpoints (append-only, like events) and projection checkpoints. */
export class LedgerAndCheckpoints1700000000002 implements MigrationInterface {
  name = 'LedgerAndCheckpoints1700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ledger_checkpoints (
      seq                  integer     PRIMARY KEY,
      tree_size            bigint      NOT NULL,
      last_position        bigint      NOT NULL,
      root_hash            text        NOT NULL,
      prev_checkpoint_hash text,
      algorithm            text        NOT NULL,
      key_id               text        NOT NULL,
      public_key           text        NOT NULL,
      created_at           timestamptz NOT NULL,
      checkpoint_hash      text        NOT NULL,
      signature            text        NOT NULL
    )`);
    await queryRunner.query(`CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
      FOR EACH ROW EXECUTE FUNCTION sl_append_only()`);
    await queryRunner.query(`CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION sl_append_only()`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ledger_checkpoints FROM PUBLIC`);
    await queryRunner.query(`CREATE TABLE projection_checkpoints (
      name       text        PRIMARY KEY,
      position   bigint      NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE projection_checkpoints`);
  }
}
