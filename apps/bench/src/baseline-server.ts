import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';

/**
 * The REST baseline of DESIGN.md §8 / issue 3: a bare NestJS endpoint doing one PostgreSQL query
 * (a primary-key read of rm_tasks), nothing else: no auth, no interceptors, no filters.
 * Usage: node baseline-server.js <databaseUrl> <port>
 */
const [databaseUrl = '', port = '0'] = process.argv.slice(2);
const pool = new Pool({ connectionString: databaseUrl, max: 6 });

@Controller('baseline')
class BaselineController {
  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    const { rows } = await pool.query('SELECT task_id, status FROM rm_tasks WHERE task_id = $1', [id]);
    return rows[0] ?? {};
  }
}

@Module({ controllers: [BaselineController] })
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BaselineModule, { logger: false });
  await app.listen(Number(port), '127.0.0.1');
  console.log(`listening ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
