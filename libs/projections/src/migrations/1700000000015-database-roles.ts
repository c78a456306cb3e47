import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables that only ever grow: the application may add rows, never change or remove them. */
const APPEND_ONLY = ['events', 'ledger_checkpoints'];

/**
 * Least privilege (DESIGN.md §3.7): two NOLOGIN group roles, for LOGIN users to be members of.
 *
 * - `supervision_app`, what the api, the projectors and the CLI's everyday commands need: SELECT and
 *   INSERT on the log and the signed checkpoints, and SELECT/INSERT/UPDATE/DELETE on everything else
 *   (read models, projection checkpoints, idempotency keys, the detector's cursor). Without UPDATE,
 *   DELETE and TRUNCATE on `events` and `ledger_checkpoints` it is refused by the grants before the
 *   append-only triggers are even reached, so a leaked application password cannot rewrite history
 *   and the owner alone could disable those triggers. No DDL: migrations and rebuilds run as the owner.
 * - `supervision_readonly`, SELECT only, for inspectors' ad-hoc SQL.
 *
 * Roles belong to the whole cluster (many databases share them: tests, staging next to production),
 * so they are created only when missing; grants belong to each database, so they are made here.
 * Tables of later migrations are covered by default privileges of the role that runs the migrations
 * (always the same owner); a later append-only table must revoke UPDATE and DELETE in its own migration.
 */
export class DatabaseRoles1700000000015 implements MigrationInterface {
  name = 'DatabaseRoles1700000000015';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const role of ['supervision_app', 'supervision_readonly']) {
      await queryRunner.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          BEGIN
            CREATE ROLE ${role} NOLOGIN;
          EXCEPTION
            -- Another database of this cluster being migrated at the same moment created it first.
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
              RAISE EXCEPTION 'creating role ${role} needs CREATEROLE: have an administrator run CREATE ROLE ${role} NOLOGIN, then migrate again';
          END;
        END IF;
      END $$`);
    }
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO supervision_app, supervision_readonly`);

    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO supervision_app`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY.join(', ')} FROM supervision_app`);
    // The migrations' own bookkeeping: the api only checks that nothing is pending.
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM supervision_app`);
    // The append takes positions with nextval/setval (sl_reserve_positions) and hashes with sl_chain.
    await queryRunner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO supervision_app`);
    await queryRunner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO supervision_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO supervision_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO supervision_app`);

    await queryRunner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO supervision_readonly`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO supervision_readonly`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The roles stay: other databases of the cluster may use them.
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM supervision_app, supervision_readonly`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM supervision_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM supervision_app, supervision_readonly`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM supervision_app`);
    await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM supervision_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM supervision_app, supervision_readonly`);
  }
}
