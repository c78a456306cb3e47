import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_SCHEMA } from '@app/event-store';

/** The event log (its DDL lives with the adapter that writes it). */
export class EventStore1700000000001 implements MigrationInterface {
  name = 'EventStore1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of EVENT_STORE_SCHEMA) {
      await queryRunner.query(statement);
    }
  }

  async down(): Promise<void> {
    throw new Error('The event log is never dropped by a migration');
  }
}
