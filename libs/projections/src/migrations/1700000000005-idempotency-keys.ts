import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API.md idempotency: the first answer to each `Idempotency-Key`, kept in PostgreSQL so that a
 * repeat finds it after a restart and on any api process sharing the database.
 * Not an event: it records what the HTTP layer answered, not something that happened.
 */
export class IdempotencyKeys1700000000005 implements MigrationInterface {
  name = 'IdempotencyKeys1700000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    // scope is the caller's personId, so two people's keys never collide. claim_token names the
    // request now holding a pending key, so one presumed dead and taken over cannot finish it.
    // response_body is json, not jsonb: json keeps the text as first sent (jsonb reorders keys),
    // so a replay is byte for byte the first answer; nothing queries inside it.
    await queryRunner.query(`CREATE TABLE idempotency_keys (
      scope            text        NOT NULL,
      key              text        NOT NULL,
      method_path      text        NOT NULL,
      request_hash     text        NOT NULL,
      claim_token      text        NOT NULL,
      state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
      status           integer,
      response_headers jsonb,
      response_body    json,
      created_at       timestamptz NOT NULL DEFAULT now(),
      completed_at     timestamptz,
      PRIMARY KEY (scope, key),
      CHECK (state = 'pending' OR status IS NOT NULL)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
