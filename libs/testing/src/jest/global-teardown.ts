export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __SL_PG__?: { stop(): Promise<void> } }).__SL_PG__;
  await server?.stop();
}
