import { PayloadPool, StreamCursor } from './workload';

describe('bench workload', () => {
  it('gives payloads of 300 to 500 bytes of data JSON', () => {
    const { data } = new PayloadPool().averageBytes();
    expect(data).toBeGreaterThanOrEqual(300);
    expect(data).toBeLessThanOrEqual(500);
  });

  it('moves a writer to a fresh stream once its stream is full', () => {
    const cursor = new StreamCursor(3);
    const first = cursor.streamId;
    cursor.advance(2);
    expect([cursor.streamId, cursor.version]).toEqual([first, 2]);
    cursor.advance(1);
    expect(cursor.streamId).not.toBe(first);
    expect(cursor.version).toBe(0);
  });
});
