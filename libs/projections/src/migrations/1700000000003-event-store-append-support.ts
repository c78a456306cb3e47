import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_SUPPORT } from '@app/event-store';

/** The hash-chain aggregate of the one-statement append (DDL lives with the adapter that uses it). */
export class EventStoreAppendSupport1700000000003 implements MigrationInterface {
  name = 'EventStoreAppendSupport1700000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of EVENT_STORE_APPEND_SUPPORT) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP AGGREGATE IF EXISTS sl_chain(bytea, bytea, text)');
    await queryRunner.query('DROP FUNCTION IF EXISTS sl_chain_step(bytea, bytea, bytea, text)');
  }
}
