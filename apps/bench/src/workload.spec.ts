import { isUuid } from '@app/shared-kernel';
import { EventIdSource, PayloadPool, StreamCursor } from './workload';

describe('bench workload', () => {
  it('mints distinct UUIDv7 ids that start with the current time', () => {
    const source = new EventIdSource();
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => source.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) {
      expect(isUuid(id)).toBe(true);
      expect(id.charAt(14)).toBe('7');
      expect('89ab').toContain(id.charAt(19));
      expect(parseInt(id.replace('-', '').slice(0, 12), 16)).toBeGreaterThanOrEqual(before);
    }
  });

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
