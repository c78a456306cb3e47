import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data (DESIGN.md §6): one data key per data subject, wrapped under the master key.
 * Events carry only ciphertext; destroying a row's key (crypto-shredding) erases that subject's
 * data everywhere at once. Unlike `events`, updates here are the point: `key` becomes NULL and
 * `shredded_at` says when; the row stays as the tombstone, so a shredded subject id is never
 * given a fresh key and erased data never reads as "no such subject".
 */
export class PiiSubjectKeys1700000000016 implements MigrationInterface {
  name = 'PiiSubjectKeys1700000000016';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE pii_subject_keys (
      subject_id  text        PRIMARY KEY,
      key         bytea,
      created_at  timestamptz NOT NULL DEFAULT now(),
      shredded_at timestamptz,
      CHECK ((key IS NULL) = (shredded_at IS NOT NULL))
    )`);
    // The application keeps tombstones (no DELETE); ad-hoc read-only SQL sees no keys at all, so
    // personal data is read only through the api, where every disclosure is logged.
    await queryRunner.query(`DO $$
    BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'supervision_app') THEN
        REVOKE DELETE, TRUNCATE ON pii_subject_keys FROM supervision_app;
      END IF;
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'supervision_readonly') THEN
        REVOKE ALL ON pii_subject_keys FROM supervision_readonly;
      END IF;
    END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pii_subject_keys`);
  }
}
